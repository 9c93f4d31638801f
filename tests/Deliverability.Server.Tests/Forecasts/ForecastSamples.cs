using System.Globalization;
using System.Text;
using Deliverability.Core.Forecasts;
using Deliverability.Forecasting;
using Deliverability.Server.Forecasts;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>Histories and stored forecasts for the tests of the API, the job and the pages.</summary>
internal static class ForecastSamples
{
    /// <summary>The start of the current hour: forecasts and plans are judged against the real clock.</summary>
    public static DateTimeOffset ThisHour
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        }
    }

    /// <summary>A daily shape: quiet at night, busy in the afternoon, busier on weekdays; a little noise of a fixed seed.</summary>
    public static double Hourly(DateTimeOffset at, double scale = 1000)
    {
        var hour = at.UtcDateTime.Hour;
        var daily = 0.2 + Math.Max(0, Math.Sin((hour - 6) / 24.0 * 2 * Math.PI));
        var weekday = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
        var noise = 1 + (((at.ToUnixTimeSeconds() / 3600 * 7919) % 11) - 5) / 100.0;
        return Math.Round(scale * daily * weekday * noise);
    }

    /// <summary><paramref name="hours"/> hourly points ending with the hour before <paramref name="end"/>, as CSV with a header.</summary>
    public static string HourlyCsv(DateTimeOffset end, int hours, double scale = 1000)
    {
        var text = new StringBuilder("timestamp,count\n");
        for (var i = hours; i > 0; i--)
        {
            var at = end.AddHours(-i);
            text.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(Hourly(at, scale).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    public static IReadOnlyList<HistoryPoint> HourlyPoints(DateTimeOffset end, int hours, double scale = 1000) =>
        [.. Enumerable.Range(1, hours).Reverse().Select(i => end.AddHours(-i)).Select(at => new HistoryPoint(at, Hourly(at, scale)))];

    /// <summary>A completed forecast of <paramref name="hours"/> hours from <paramref name="historyEnd"/>, its upper bound <paramref name="peakUpper"/> at the busiest hour.</summary>
    public static ForecastRunRow Forecast(string stream, DateTimeOffset historyEnd, int hours, double peakUpper, DateTimeOffset? createdAt = null)
    {
        var points = Enumerable.Range(0, hours).Select(i =>
        {
            var at = historyEnd.AddHours(i);
            var upper = i == hours / 2 ? peakUpper : peakUpper / 4;
            return new ForecastPoint(at, upper * 0.7, upper * 0.5, upper);
        });
        return new ForecastRunRow
        {
            Id = Guid.NewGuid(),
            Stream = stream,
            CreatedAt = createdAt ?? historyEnd,
            Trigger = "schedule",
            StartedBy = "scheduler",
            Status = ForecastRunStatus.Completed,
            Frequency = "hourly",
            Model = "lightgbm",
            ModelVersion = "lightgbm/v1/test",
            IntervalLevel = 0.9,
            HistoryEnd = historyEnd,
            HistoryPoints = 24 * 21,
            Horizon = TimeSpan.FromHours(hours),
            BacktestWape = 0.125,
            BacktestMase = 0.8,
            BacktestCoverage = 0.9,
            SeasonalNaiveWape = 0.2,
            BacktestOrigins = 14,
            BacktestHorizon = TimeSpan.FromDays(1),
            RepairsJson = StoredForecast.WriteStrings(["2 missing hours filled with 0"]),
            PointsJson = StoredForecast.WritePoints(points),
            CampaignsJson = StoredForecast.WriteStrings([]),
        };
    }
}
