using Deliverability.Core.Monitoring;
using Deliverability.Server.Infrastructure;
using Quartz;

namespace Deliverability.Server.Domains;

/// <summary>
/// The scheduled audit of every configured domain. Thin: the work is <see cref="AuditCycle"/>'s. A recovery or start-up
/// fire audits only the domains not audited since <see cref="RepeatedFire.DoneSinceAsync"/>, so each domain is audited once
/// per interval across a cluster.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class DomainAuditJob(AuditCycle cycle, JobRunLock runLock, TimeProvider time, ILogger<DomainAuditJob> logger) : IJob
{
    public static readonly JobKey Key = new("domain-audit", "monitor");

    /// <summary>The start-up fire: once shortly after a node starts (<c>Monitor:Audit:FirstRunDelay</c>).</summary>
    public static readonly TriggerKey FirstRun = new("domain-audit-first-run", "monitor");

    /// <summary>The repeating fire on <c>Monitor:Audit:Schedule</c>.</summary>
    public static readonly TriggerKey Schedule = new("domain-audit-schedule", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var running = await runLock.AcquireAsync(Key, cancellationToken);
            var doneSince = await RepeatedFire.DoneSinceAsync(context, FirstRun, Schedule, time, cancellationToken);
            context.Result = await cycle.RunAsync(doneSince, cancellationToken);
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
