using Deliverability.Core.Blacklists;
using Quartz;

namespace Deliverability.Server.Blacklists;

/// <summary>The scheduled blacklist check of every target. Thin: the work is <see cref="BlacklistMonitor"/>'s.</summary>
[DisallowConcurrentExecution]
public sealed partial class BlacklistCheckJob(BlacklistMonitor monitor, ILogger<BlacklistCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("blacklist-check", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.Result = await monitor.CheckAllAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is half-written (one transaction per check); the next fire tries again.
            LogCheckFailed(ex);
            throw new JobExecutionException("The blacklist check failed.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The blacklist check failed; the next one runs on schedule")]
    private partial void LogCheckFailed(Exception exception);
}
