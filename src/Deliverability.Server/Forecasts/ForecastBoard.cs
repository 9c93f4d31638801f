using Microsoft.Extensions.Options;
using Deliverability.Core.Forecasts;

namespace Deliverability.Server.Forecasts;

/// <summary>Reads streams, history and stored forecasts (each beside what happened since) for the page and <c>/api/forecasts</c>.</summary>
public sealed class ForecastBoard(ForecastStore store, IOptionsMonitor<ForecastOptions> options)
{
    public async Task<IReadOnlyList<StreamDto>> StreamsAsync(CancellationToken cancellationToken) =>
        await StreamsAsync(await store.LatestCompletedAsync(cancellationToken), cancellationToken);

    /// <summary>The streams with history, each with its forecast among <paramref name="latest"/> (the newest completed of each stream, already read).</summary>
    public async Task<IReadOnlyList<StreamDto>> StreamsAsync(IReadOnlyList<ForecastRunRow> latest, CancellationToken cancellationToken)
    {
        var byStream = latest.ToDictionary(r => r.Stream, StringComparer.Ordinal);
        var settings = options.CurrentValue;
        return [.. (await store.ListStreamsAsync(cancellationToken)).Select(s => new StreamDto(
            s.Stream, settings.SendPathOf(s.Stream), s.Points, s.First, s.Last,
            byStream.TryGetValue(s.Stream, out var run) ? ForecastSummaryDto.From(run) : null))];
    }

    /// <summary>The stream's newest completed forecast with its actuals, or null.</summary>
    public async Task<ForecastDto?> LatestAsync(string stream, CancellationToken cancellationToken) =>
        await store.LatestCompletedAsync(stream, cancellationToken) is { } run ? await WithActualsAsync(run, cancellationToken) : null;

    public async Task<ForecastDto?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetRunAsync(id, cancellationToken) is { } run ? await WithActualsAsync(run, cancellationToken) : null;

    public async Task<IReadOnlyList<ForecastSummaryDto>> EarlierAsync(string stream, int limit, CancellationToken cancellationToken) =>
        [.. (await store.ListRunsAsync(stream, limit, cancellationToken)).Select(ForecastSummaryDto.From)];

    /// <summary>
    /// The forecast's points, each with the count stored for its period since (the "what happened"), and the WAPE and
    /// interval coverage over the periods that have one.
    /// </summary>
    public async Task<ForecastDto> WithActualsAsync(ForecastRunRow run, CancellationToken cancellationToken)
    {
        var points = StoredForecast.Points(run);
        var actuals = points.Count == 0
            ? []
            : (await store.GetHistoryAsync(run.Stream, points[0].Timestamp, cancellationToken)).ToDictionary(p => p.Timestamp.UtcTicks, p => p.Count);
        var shown = points.Select(p => new ForecastPointDto(p.Timestamp, p.Predicted, p.Lower, p.Upper,
            actuals.TryGetValue(p.Timestamp.UtcTicks, out var actual) ? actual : null)).ToList();
        var known = shown.Where(p => p.Actual is not null).ToList();
        var sum = known.Sum(p => Math.Abs(p.Actual!.Value));
        var accuracy = new ForecastAccuracyDto(
            known.Count,
            known.Count == 0 || sum == 0 ? null : known.Sum(p => Math.Abs(p.Actual!.Value - p.Predicted)) / sum,
            known.Count == 0 ? null : known.Count(p => p.Actual >= p.Lower && p.Actual <= p.Upper) / (double)known.Count);
        return new ForecastDto(ForecastSummaryDto.From(run), shown, accuracy);
    }
}
