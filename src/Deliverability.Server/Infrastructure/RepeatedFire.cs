using Quartz;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// The fires of a scheduled job that may repeat work already done in the current interval, and since when that work
/// counts as done; a job that skips what was done since then does each item once per interval across a cluster.
/// </summary>
public static class RepeatedFire
{
    /// <summary>
    /// The time since which an item already done is not done again by this fire. For a fire of the schedule and for a
    /// recovery (Quartz schedules it at the interrupted fire's scheduled time) that is the fire's scheduled time: Quartz
    /// may run one fire on two nodes when it takes a busy node for dead (it re-fires what that node had acquired, or runs
    /// again what it was running), and the second run, after <see cref="JobRunLock"/>, finds the items done. For the
    /// start-up fire <paramref name="startup"/> it is one period of <paramref name="schedule"/> ago, so a node that starts
    /// in a running cluster, or restarts, catches up only what is overdue.
    /// </summary>
    public static async Task<DateTimeOffset> DoneSinceAsync(IJobExecutionContext context, TriggerKey? startup, TriggerKey schedule, TimeProvider time, CancellationToken cancellationToken)
    {
        if (context.Recovering || startup is null || !context.Trigger.Key.Equals(startup))
        {
            return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        }

        var now = time.GetUtcNow();
        if (await context.Scheduler.GetTrigger(schedule, cancellationToken).ConfigureAwait(false) is { } repeating
            && repeating.GetFireTimeAfter(now) is { } next
            && repeating.GetFireTimeAfter(next) is { } afterNext)
        {
            return now - (afterNext - next);
        }

        return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
    }
}
