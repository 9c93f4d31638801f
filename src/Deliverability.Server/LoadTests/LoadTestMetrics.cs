using Deliverability.Core.LoadTests;
using Deliverability.Core.Live;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.LoadTests;

/// <summary>
/// Records each load-test run that ends here or is imported (<see cref="DeliverabilityInstruments.LoadTestRuns"/>, its
/// throughput, p99 and error rate, a capacity run's knee) from the stored row, as the pages read it.
/// </summary>
internal sealed class LoadTestMetrics(LiveFeed<LoadTestRunChanged> changes, LoadTestRunStore store, DeliverabilityMetrics metrics) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Counted on the node where the run ended or was imported, not once per node.
        _subscription = changes.Subscribe(RecordAsync, LiveOrigin.ThisNode);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private async Task RecordAsync(LoadTestRunChanged change)
    {
        if (change.Status == LoadTestRunStatus.Running || await store.GetAsync(change.RunId, CancellationToken.None) is not { } run)
        {
            return;
        }

        metrics.LoadTestRunEnded(run.Kind, run.Origin, run.Status, run.Scenario, run.AchievedRate, run.P99Ms, run.ErrorRate);
        if (run.KneeRate is { } knee && run.SendPath is { } sendPath)
        {
            metrics.LoadTestKneeFound(sendPath, knee);
        }
    }
}
