using Deliverability.Core.LoadTests;
using Deliverability.Load;

namespace Deliverability.Server.LoadTests;

/// <summary>
/// The engine's reporting sink for a run the service started: each realtime snapshot goes to open pages at once
/// (<see cref="LoadTestActivity"/>) and to the run's row every <see cref="SaveInterval"/>, so a page opened elsewhere, or
/// the list's API, sees how far it got. It never throws into the engine: a progress write that fails is logged and skipped.
/// </summary>
internal sealed partial class LoadTestProgressSink(
    Guid runId, string scenario, LoadTestRunStore store, LoadTestActivity activity, TimeProvider time, TaskCompletionSource began, ILogger logger)
    : IReportingSink
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(5);

    private int _step;
    private DateTimeOffset _savedAt = DateTimeOffset.MinValue;

    public Task StartAsync(RunStartInfo run, CancellationToken cancellationToken)
    {
        // A capacity search starts one engine run per rate: each is a step.
        _step++;
        began.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken)
    {
        var scenarios = stats.Scenarios;
        if (scenarios.Count == 0)
        {
            return;
        }

        var completed = scenarios.Sum(s => s.Completed);
        var failed = scenarios.Sum(s => s.Failed);
        var progress = new LoadTestProgress(
            runId,
            scenario,
            stats.Timestamp,
            stats.Elapsed,
            Math.Max(1, _step),
            scenarios.Any(s => s.WarmingUp),
            scenarios.Sum(s => s.TargetRate),
            scenarios.Sum(s => s.IntervalRps),
            scenarios.Sum(s => s.Started),
            completed,
            failed,
            scenarios.Sum(s => s.DroppedStarts),
            scenarios.Max(s => s.P99Ms),
            completed == 0 ? 0 : (double)failed / completed);
        activity.Report(progress);

        var now = time.GetUtcNow();
        if (now - _savedAt < SaveInterval)
        {
            return;
        }

        _savedAt = now;
        try
        {
            await store.SaveProgressAsync(runId, progress.IntervalRps, progress.P99Ms, progress.ErrorRate, progress.Completed, CancellationToken.None);
        }
#pragma warning disable CA1031 // A progress write must not stop the run; its end is written again in full.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogProgressNotStored(ex, runId);
        }
    }

    public Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The progress of load test {RunId} could not be stored")]
    private partial void LogProgressNotStored(Exception exception, Guid runId);
}
