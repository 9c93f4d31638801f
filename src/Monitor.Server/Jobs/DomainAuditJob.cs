using Monitor.Core.Monitoring;
using Quartz;

namespace Monitor.Server.Jobs;

/// <summary>The scheduled audit of every configured domain. Thin: the work is <see cref="AuditCycle"/>'s.</summary>
[DisallowConcurrentExecution]
public sealed class DomainAuditJob(AuditCycle cycle) : IJob
{
    public static readonly JobKey Key = new("domain-audit", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        context.Result = await cycle.RunAsync(cancellationToken);
    }
}
