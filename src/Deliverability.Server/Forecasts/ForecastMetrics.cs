using Deliverability.Core.Forecasts;
using Deliverability.Core.Live;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// Hands each stored forecast to the metrics (<see cref="DeliverabilityInstruments.ForecastVolume"/> then reports the
/// period holding the current time) with the stream's latest actual volume (<see cref="DeliverabilityInstruments.ActualVolume"/>).
/// </summary>
internal sealed partial class ForecastMetrics(LiveFeed<ForecastCompleted> completed, ForecastStore store, DeliverabilityMetrics metrics, ILogger<ForecastMetrics> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = completed.Subscribe(change => RecordAsync(change.Stream, _stopping.Token));
        // The forecasts stored before this start report at once, not after the next nightly run; start-up does not wait.
        _ = Task.Run(() => RecordStoredAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Dispose();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private async Task RecordStoredAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var stream in await store.ListStreamsAsync(cancellationToken))
            {
                await RecordAsync(stream.Stream, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotRead(ex);
        }
    }

    private async Task RecordAsync(string stream, CancellationToken cancellationToken)
    {
        if (await store.LatestCompletedAsync(stream, cancellationToken) is { } run)
        {
            metrics.VolumeForecast(stream, StoredForecast.Points(run).Select(p => new ForecastPeriod(p.Timestamp, p.Predicted, p.Lower, p.Upper)));
        }

        var streams = await store.ListStreamsAsync(cancellationToken);
        if (streams.FirstOrDefault(s => s.Stream == stream) is { } stored)
        {
            var latest = await store.GetHistoryAsync(stream, stored.Last, cancellationToken);
            if (latest.Count > 0)
            {
                metrics.VolumeActual(stream, latest[^1].Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored forecasts could not be read for the metrics; they report from the next forecast on")]
    private partial void LogNotRead(Exception exception);
}
