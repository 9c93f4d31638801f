using Deliverability.Core.Forecasts;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Server.Forecasts;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>
/// A stream's expected volume from its latest stored forecast (Forecasts page): the forecast periods overlapping the
/// window, each counted for the share of it inside the window. Null when the stream has no forecast covering the window.
/// </summary>
public sealed class ForecastVolumeExpectation(ForecastStore store) : ISendVolumeForecasts
{
    public async Task<double?> ExpectedAsync(string stream, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (await store.LatestCompletedAsync(stream, cancellationToken) is not { } run)
        {
            return null;
        }

        var length = StoredForecast.Frequency(run.Frequency) switch
        {
            Deliverability.Forecasting.SeriesFrequency.Daily => TimeSpan.FromDays(1),
            Deliverability.Forecasting.SeriesFrequency.Weekly => TimeSpan.FromDays(7),
            _ => TimeSpan.FromHours(1),
        };
        var points = StoredForecast.Points(run);
        if (points.Count == 0 || points[0].Timestamp > from || points[^1].Timestamp + length < to)
        {
            return null;
        }

        double expected = 0;
        foreach (var point in points)
        {
            var start = point.Timestamp > from ? point.Timestamp : from;
            var end = point.Timestamp + length < to ? point.Timestamp + length : to;
            if (end > start)
            {
                expected += point.Predicted * ((end - start) / length);
            }
        }

        return expected;
    }
}
