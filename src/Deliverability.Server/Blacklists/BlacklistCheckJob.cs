using Deliverability.Core.Blacklists;
using Deliverability.Server.Infrastructure;
using Quartz;

namespace Deliverability.Server.Blacklists;

/// <summary>
/// The scheduled blacklist check of every target. Thin: the work is <see cref="BlacklistMonitor"/>'s. A recovery or
/// start-up fire checks only the targets not checked since <see cref="RepeatedFire.DoneSinceAsync"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class BlacklistCheckJob(BlacklistMonitor monitor, JobRunLock runLock, TimeProvider time, ILogger<BlacklistCheckJob> logger) : IJob
{
    public static readonly JobKey Key = new("blacklist-check", "monitor");

    /// <summary>The start-up fire: once shortly after a node starts (<c>Monitor:Blacklists:FirstRunDelay</c>).</summary>
    public static readonly TriggerKey FirstRun = new("blacklist-check-first-run", "monitor");

    /// <summary>The repeating fire on <c>Monitor:Blacklists:Schedule</c>.</summary>
    public static readonly TriggerKey Schedule = new("blacklist-check-schedule", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var running = await runLock.AcquireAsync(Key, cancellationToken);
            var doneSince = await RepeatedFire.DoneSinceAsync(context, FirstRun, Schedule, time, cancellationToken);
            context.Result = await monitor.CheckAllAsync(doneSince, cancellationToken);
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
