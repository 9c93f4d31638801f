using Quartz;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// The fires of a scheduled job that may repeat work already done in the current interval, and since when that work
/// counts as done; a job that skips what was done since then does each item once per interval across a cluster.
/// </summary>
public static class RepeatedFire
{
    /// <summary>
    /// Null for a fire of the job's schedule (it does everything). Otherwise the time since which an item already done is
    /// skipped: for a recovery (the fire of a node that died during the run, run again by another node) the interrupted
    /// fire's scheduled time, so what that node stored before it died is not done again; for the start-up fire
    /// <paramref name="startup"/> (when the job has one), one period of <paramref name="schedule"/> ago, so a node that starts in a running
    /// cluster, or restarts, catches up only what is overdue.
    /// </summary>
    public static async Task<DateTimeOffset?> DoneSinceAsync(IJobExecutionContext context, TriggerKey? startup, TriggerKey schedule, TimeProvider time, CancellationToken cancellationToken)
    {
        if (context.Recovering)
        {
            // Quartz schedules the recovery trigger at the interrupted fire's scheduled time.
            return context.ScheduledFireTimeUtc;
        }

        if (startup is null || !context.Trigger.Key.Equals(startup))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (await context.Scheduler.GetTrigger(schedule, cancellationToken).ConfigureAwait(false) is { } repeating
            && repeating.GetFireTimeAfter(now) is { } next
            && repeating.GetFireTimeAfter(next) is { } afterNext)
        {
            return now - (afterNext - next);
        }

        return null;
    }
}
