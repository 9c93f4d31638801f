using Deliverability.Core.Placement;
using Deliverability.Server.Infrastructure;
using Quartz;

namespace Deliverability.Server.Placement;

/// <summary>The scheduled placement run through the default send path. Thin: the work is <see cref="PlacementRuns"/>'.</summary>
[DisallowConcurrentExecution]
public sealed partial class PlacementJob(PlacementRuns runs, PlacementCatalog catalog, PlacementResultStore results, JobRunLock runLock, TimeProvider time, ILogger<PlacementJob> logger) : IJob
{
    public static readonly JobKey Key = new("placement-run", "monitor");

    /// <summary>The repeating fire on <c>Monitor:Placement:Schedule</c>.</summary>
    public static readonly TriggerKey Schedule = new("placement-schedule", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if ((await catalog.GetSeedsAsync(cancellationToken)).Count == 0)
        {
            LogNoSeeds();
            return;
        }

        await using var running = await runLock.AcquireAsync(Key, cancellationToken);

        // A run stored since this fire's scheduled time (by this fire on another node) is not sent again.
        var doneSince = await RepeatedFire.DoneSinceAsync(context, null, Schedule, time, cancellationToken);
        if (await results.GetLatestAsync(cancellationToken) is { } latest
            && latest.Run.StartedAt >= doneSince)
        {
            LogAlreadyRun(latest.Run.StartedAt);
            return;
        }

        try
        {
            var stored = await runs.TryRunAsync(null, cancellationToken);
            if (stored is null)
            {
                LogBusy();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Seed failures are results, not exceptions: this is the database or the configuration; next fire retries.
            LogRunFailed(ex);
            throw new JobExecutionException("The placement run failed.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No seed mailbox is configured (Monitor:Placement:Seeds nor the dashboard); the placement run is skipped")]
    private partial void LogNoSeeds();

    [LoggerMessage(Level = LogLevel.Information, Message = "The placement run of this fire was already stored (started {StartedAt}); it is not sent again")]
    private partial void LogAlreadyRun(DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "A placement run is already in progress; this scheduled one is skipped")]
    private partial void LogBusy();

    [LoggerMessage(Level = LogLevel.Error, Message = "The placement run failed; the next one runs on schedule")]
    private partial void LogRunFailed(Exception exception);
}
