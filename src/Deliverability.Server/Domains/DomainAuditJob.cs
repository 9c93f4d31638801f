using Deliverability.Core.Monitoring;
using Quartz;

namespace Deliverability.Server.Domains;

/// <summary>The scheduled audit of every configured domain. Thin: the work is <see cref="AuditCycle"/>'s.</summary>
[DisallowConcurrentExecution]
public sealed partial class DomainAuditJob(AuditCycle cycle, ILogger<DomainAuditJob> logger) : IJob
{
    public static readonly JobKey Key = new("domain-audit", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.Result = await cycle.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each domain is already stored on its own; a failure here (the database down) waits for the next fire.
            LogCycleFailed(ex);
            throw new JobExecutionException("The audit cycle failed.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit cycle failed; the next one runs on schedule")]
    private partial void LogCycleFailed(Exception exception);
}
