using Deliverability.Core.Alerts;
using Deliverability.Core.Live;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.Metrics;

/// <summary>Counts every alert state change the engine publishes (pending, firing, resolved), by alert name.</summary>
internal sealed class AlertMetrics(LiveFeed<AlertChanged> changes, DeliverabilityMetrics metrics) : IHostedService, IDisposable
{
    private IDisposable? _observation;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Observed, not subscribed: a subscriber's queue may drop events, and every transition must count, once: on the
        // node where it happened (each node's counters are scraped and summed).
        _observation = changes.Observe(change =>
        {
            if (change.From != change.To)
            {
                metrics.AlertEntered(change.AlertName, change.To);
            }
        }, LiveOrigin.ThisNode);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _observation?.Dispose();
        _observation = null;
    }
}
