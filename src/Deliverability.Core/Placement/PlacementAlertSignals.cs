using Deliverability.Core.Alerts;

namespace Deliverability.Core.Placement;

/// <summary>
/// The inbox rate per provider of the latest placement run, for the <c>InboxRateLow</c> alert rule. A provider whose
/// seeds all failed to be measured (errors) has no rate and gives no signal: an unreachable mailbox is not a bad placement.
/// </summary>
public sealed class PlacementAlertSignals(PlacementResultStore store) : IAlertSignalSource
{
    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var latest = await store.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return [];
        }

        var run = latest.Run;
        return run.Providers
            .Where(p => p.Rates.InboxRate is not null)
            .Select(p => (AlertSignal)new InboxRateSignal(p.Provider, p.Rates.InboxRate!.Value, p.Rates.Measured, run.FinishedAt))
            .ToArray();
    }
}
