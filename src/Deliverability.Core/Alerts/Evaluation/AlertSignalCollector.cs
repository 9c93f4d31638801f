using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>The signals of every source; <c>Complete</c> is false when one failed.</summary>
internal sealed record CollectedSignals(IReadOnlyList<AlertSignal> Signals, bool Complete);

/// <summary>Asks every signal source (blacklists, placement) for its current conditions; a source that fails is logged and the others still count.</summary>
internal sealed partial class AlertSignalCollector(IEnumerable<IAlertSignalSource> sources, ILogger<AlertSignalCollector> logger)
{
    private readonly IAlertSignalSource[] _sources = [.. sources];

    public async Task<CollectedSignals> CollectAsync(CancellationToken cancellationToken)
    {
        var signals = new List<AlertSignal>();
        var complete = true;
        foreach (var source in _sources)
        {
            try
            {
                signals.AddRange(await source.GetSignalsAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                complete = false;
                LogSourceFailed(ex, source.GetType().Name);
            }
        }

        return new CollectedSignals(signals, complete);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert signal source {Source} failed; blacklist and inbox-rate alerts are kept as they are until it answers again")]
    private partial void LogSourceFailed(Exception exception, string source);
}
