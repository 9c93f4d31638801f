using System.Globalization;

namespace Deliverability.Forecasting.Planning;

/// <summary>
/// Turns forecasts into a capacity plan: per send path, the busiest forecast hour (the interval's upper bound, summed
/// over the streams that leave through it, hour by hour), the rate it needs with the safety margin, and the headroom
/// of the capacity its latest load test measured, with a verdict. Pure: the same inputs always give the same plan.
/// </summary>
public static class CapacityPlanner
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <param name="peakDays">The peak days to judge; those before <paramref name="now"/>'s date are left out.</param>
    public static CapacityPlan Plan(
        IEnumerable<StreamForecast> forecasts,
        IEnumerable<SendPathCapacity> capacities,
        IEnumerable<PeakDay> peakDays,
        CapacityPlanSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!double.IsFinite(settings.SafetyMargin) || settings.SafetyMargin < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.SafetyMargin, "The safety margin must be a share of zero or more.");
        }

        var capacityOf = capacities
            .GroupBy(c => c.SendPath, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.MeasuredAt)!, StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var upcoming = Periods(peakDays.Where(p => p.Date >= today).DistinctBy(p => p.Date).OrderBy(p => p.Date));

        var rows = new List<CapacityPlanRow>();
        foreach (var path in forecasts.GroupBy(f => f.SendPath, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var streams = path.OrderBy(f => f.Stream, StringComparer.Ordinal).ToList();
            var capacity = capacityOf.GetValueOrDefault(path.Key);
            rows.AddRange(PlanSendPath(path.Key, streams, capacity, upcoming, settings, now));
        }

        return new CapacityPlan(now, settings, rows);
    }

    private static IEnumerable<CapacityPlanRow> PlanSendPath(
        string sendPath, List<StreamForecast> streams, SendPathCapacity? capacity, List<PeakPeriod> peakDays, CapacityPlanSettings settings, DateTimeOffset now)
    {
        var names = streams.Select(s => s.Stream).ToArray();
        var coarse = streams.Where(s => s.Frequency != SeriesFrequency.Hourly).Select(s => s.Stream).ToArray();
        if (coarse.Length > 0)
        {
            var why = $"{string.Join(", ", coarse)} {(coarse.Length == 1 ? "is" : "are")} forecast per {Unit(streams.First(s => s.Frequency != SeriesFrequency.Hourly).Frequency)}: the peak hour needs an hourly history";
            yield return Unknown(sendPath, CapacityPlanRow.WholeForecast, null, null, names, capacity, ReadinessReason.NotHourly, why);
            foreach (var day in peakDays)
            {
                yield return Unknown(sendPath, day.Name, day.First, day.Last, names, capacity, ReadinessReason.NotHourly, why);
            }

            yield break;
        }

        // Hour by hour, the upper bounds of the streams added up: conservative (the bound of a sum is at most the sum of bounds).
        var hours = streams.SelectMany(s => s.Points)
            .GroupBy(p => p.Timestamp.ToUniversalTime().UtcTicks)
            .Select(g => (At: new DateTimeOffset(g.Key, TimeSpan.Zero), Upper: g.Sum(p => Math.Max(0, p.Upper))))
            .OrderBy(h => h.At)
            .ToList();

        yield return Judge(sendPath, CapacityPlanRow.WholeForecast, null, null, names, hours, capacity, settings, now);
        var lastDay = hours.Count == 0 ? (DateOnly?)null : DateOnly.FromDateTime(hours[^1].At.UtcDateTime);
        foreach (var day in peakDays)
        {
            var ofDay = hours.Where(h => DateOnly.FromDateTime(h.At.UtcDateTime) is var d && d >= day.First && d <= day.Last).ToList();
            if (ofDay.Count == 0)
            {
                var why = lastDay is { } end
                    ? $"{day.Name} ({Date(day.First)}) is after the end of the forecast ({Date(end)})"
                    : $"the forecast has no point";
                yield return Unknown(sendPath, day.Name, day.First, day.Last, names, capacity, ReadinessReason.BeyondHorizon, why);
                continue;
            }

            yield return Judge(sendPath, day.Name, day.First, day.Last, names, ofDay, capacity, settings, now);
        }
    }

    private static CapacityPlanRow Judge(
        string sendPath, string period, DateOnly? date, DateOnly? lastDate, string[] streams, List<(DateTimeOffset At, double Upper)> hours,
        SendPathCapacity? capacity, CapacityPlanSettings settings, DateTimeOffset now)
    {
        (DateTimeOffset? At, double Upper) peak = (null, 0);
        if (hours.Count > 0)
        {
            var busiest = hours.MaxBy(h => h.Upper);
            peak = (busiest.At, busiest.Upper);
        }

        var peakRate = peak.Upper / Hour.TotalSeconds;
        var required = peakRate * (1 + settings.SafetyMargin);
        var needs = peak.At is { } at
            ? $"needs {Rate(required)} ({Rate(peakRate)} at {Time(at)} + {Percent(settings.SafetyMargin)})"
            : "no hour is forecast";

        if (capacity is null)
        {
            return Row(null, ReadinessVerdict.Unknown, ReadinessReason.NoLoadTest, $"{needs}; no load test of {sendPath} has measured its capacity");
        }

        var measured = $"{Rate(capacity.Rate)} {(capacity.IsKnee ? "at the knee of a capacity search" : "achieved in a load test")} on {Date(DateOnly.FromDateTime(capacity.MeasuredAt.UtcDateTime))}";
        double? headroom = peakRate > 0 ? capacity.Rate / peakRate - 1 : null;
        var age = now - capacity.MeasuredAt;
        if (age > settings.LoadTestMaxAge)
        {
            return Row(headroom, ReadinessVerdict.Unknown, ReadinessReason.StaleLoadTest,
                $"{needs}; the latest load test ({measured}) is {Days(age)} old, older than {Days(settings.LoadTestMaxAge)}");
        }

        if (peakRate <= 0)
        {
            return Row(null, ReadinessVerdict.Ready, ReadinessReason.Covered, $"no traffic is forecast; capacity {measured}");
        }

        var headroomText = $"headroom {Percent(headroom!.Value)} against a margin of {Percent(settings.SafetyMargin)}";
        return capacity.Rate >= required
            ? Row(headroom, ReadinessVerdict.Ready, ReadinessReason.Covered, $"{needs}; capacity {measured}: {headroomText}")
            : capacity.Rate >= peakRate
                ? Row(headroom, ReadinessVerdict.AtRisk, ReadinessReason.BelowMargin, $"{needs}; capacity {measured}: {headroomText}")
                : Row(headroom, ReadinessVerdict.NotReady, ReadinessReason.OverCapacity, $"{needs}; capacity {measured} is under the forecast peak ({headroomText})");

        CapacityPlanRow Row(double? headroomShare, ReadinessVerdict verdict, ReadinessReason reason, string explanation) =>
            new(sendPath, period, date, lastDate, streams, peak.At, peak.At is null ? null : peak.Upper, peak.At is null ? null : peakRate,
                peak.At is null ? null : required, capacity, headroomShare, verdict, reason, explanation);
    }

    private static CapacityPlanRow Unknown(string sendPath, string period, DateOnly? date, DateOnly? lastDate, string[] streams, SendPathCapacity? capacity, ReadinessReason reason, string why) =>
        new(sendPath, period, date, lastDate, streams, null, null, null, null, capacity, null, ReadinessVerdict.Unknown, reason, why);

    /// <summary>Consecutive days of one name (the seven days of Christmas week) make one period of the plan.</summary>
    private static List<PeakPeriod> Periods(IEnumerable<PeakDay> days)
    {
        var periods = new List<PeakPeriod>();
        foreach (var day in days)
        {
            if (periods.Count > 0 && periods[^1] is var last && last.Name == day.Name && last.Last.AddDays(1) == day.Date)
            {
                periods[^1] = last with { Last = day.Date };
            }
            else
            {
                periods.Add(new PeakPeriod(day.Name, day.Date, day.Date));
            }
        }

        return periods;
    }

    private sealed record PeakPeriod(string Name, DateOnly First, DateOnly Last);

    private static string Unit(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Daily => "day",
        SeriesFrequency.Weekly => "week",
        _ => "hour",
    };

    internal static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + "/s";

    internal static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan span) => span.TotalDays.ToString("0", CultureInfo.InvariantCulture) + " days";
}
