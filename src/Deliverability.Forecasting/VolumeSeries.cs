using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Deliverability.Forecasting;

/// <summary>A validated, sorted, regular series of one stream.</summary>
public sealed class VolumeSeries
{
    private VolumeSeries(string stream, SeriesFrequency frequency, IReadOnlyList<VolumePoint> points, IReadOnlyList<string> repairs)
    {
        Stream = stream;
        Frequency = frequency;
        Points = points;
        Repairs = repairs;
    }

    /// <summary>Transactional, marketing, or any name of [a-z0-9._-]{1,64}.</summary>
    public string Stream { get; }

    /// <summary>Inferred from the timestamps.</summary>
    public SeriesFrequency Frequency { get; }

    /// <summary>One point per period, in time order, each stamped with the start of its period in UTC.</summary>
    public IReadOnlyList<VolumePoint> Points { get; }

    /// <summary>Documented repairs made on import (e.g. "3 missing hours filled with 0").</summary>
    public IReadOnlyList<string> Repairs { get; }

    /// <summary>The start of the first period after the history.</summary>
    public DateTimeOffset End => Points[^1].Timestamp + SeriesPeriods.Step(Frequency);

    /// <summary>Validates and normalises (UTC, sorted, frequency inferred); throws VolumeHistoryException with a clear message.</summary>
    public static VolumeSeries Create(string stream, IEnumerable<VolumePoint> points, VolumeHistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        return Create(stream, points.Select(p => new NumberedPoint(p, null)), options ?? VolumeHistoryOptions.Default);
    }

    /// <summary>Sums into a coarser frequency: hourly to daily to weekly (weeks start on Monday, UTC).</summary>
    public VolumeSeries Aggregate(SeriesFrequency to)
    {
        if (to == Frequency)
        {
            return this;
        }

        if (to < Frequency)
        {
            throw new VolumeHistoryException($"a {Describe(Frequency)} history cannot be split into {Describe(to)} periods");
        }

        var sums = new SortedDictionary<DateTimeOffset, double>();
        foreach (var point in Points)
        {
            var period = SeriesPeriods.PeriodStart(point.Timestamp, to);
            sums[period] = sums.GetValueOrDefault(period) + point.Count;
        }

        var aggregated = sums.Select(s => new VolumePoint(s.Key, s.Value)).ToList();
        var repairs = Repairs.ToList();
        var last = Points[^1].Timestamp + SeriesPeriods.Step(Frequency);
        if (last != SeriesPeriods.PeriodStart(last, to))
        {
            // A partial last day or week would read as a collapse in volume: it is left out and said so.
            aggregated.RemoveAt(aggregated.Count - 1);
            repairs.Add($"the last {Describe(to)} period is partial and was left out");
        }

        if (Points[0].Timestamp != SeriesPeriods.PeriodStart(Points[0].Timestamp, to) && aggregated.Count > 0)
        {
            aggregated.RemoveAt(0);
            repairs.Add($"the first {Describe(to)} period is partial and was left out");
        }

        if (aggregated.Count < 2)
        {
            throw new VolumeHistoryException($"the history holds fewer than two whole {Describe(to)} periods");
        }

        return new VolumeSeries(Stream, to, aggregated, repairs);
    }

    internal static string Describe(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Hourly => "hourly",
        SeriesFrequency.Daily => "daily",
        _ => "weekly",
    };

    /// <summary>Whether <paramref name="stream"/> is a stream name: 1 to 64 characters of a-z, 0-9, '.', '_' or '-'.</summary>
    public static bool IsValidStreamName([NotNullWhen(true)] string? stream) =>
        stream is { Length: > 0 and <= 64 } && stream.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-');

    internal static void ValidateStream(string stream)
    {
        if (!IsValidStreamName(stream))
        {
            throw new VolumeHistoryException("the stream name must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-'");
        }
    }

    internal static VolumeSeries Create(string stream, IEnumerable<NumberedPoint> input, VolumeHistoryOptions options)
    {
        ValidateStream(stream);
        var points = new List<NumberedPoint>();
        foreach (var point in input)
        {
            if (points.Count >= options.MaxPoints)
            {
                throw new VolumeHistoryException($"the history holds more than {options.MaxPoints} points", point.Line);
            }

            if (!double.IsFinite(point.Point.Count))
            {
                throw new VolumeHistoryException("the count is not a finite number", point.Line);
            }

            if (point.Point.Count < 0)
            {
                throw new VolumeHistoryException($"the count {point.Point.Count.ToString(CultureInfo.InvariantCulture)} is negative", point.Line);
            }

            points.Add(point);
        }

        if (points.Count < 2)
        {
            throw new VolumeHistoryException("the history needs at least two points to show its frequency");
        }

        var repairs = new List<string>();
        var offsets = points.Select(p => p.Point.Timestamp.Offset).Distinct().ToList();
        if (offsets.Count > 1)
        {
            repairs.Add($"timestamps came in {offsets.Count} UTC offsets ({string.Join(", ", offsets.Order().Take(4).Select(FormatOffset))}) and were converted to UTC");
        }

        if (!IsSorted(points))
        {
            points.Sort((a, b) => a.Point.Timestamp.CompareTo(b.Point.Timestamp));
            repairs.Add("rows were not in time order and were sorted");
        }

        var frequency = InferFrequency(points);
        var normalised = new List<NumberedPoint>(points.Count);
        foreach (var point in points)
        {
            normalised.Add(point with { Point = point.Point with { Timestamp = Normalise(point, frequency) } });
        }

        normalised.Sort((a, b) => a.Point.Timestamp.CompareTo(b.Point.Timestamp));
        return new VolumeSeries(stream, frequency, Regularise(normalised, frequency, options, repairs), repairs);
    }

    private static bool IsSorted(List<NumberedPoint> points)
    {
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Point.Timestamp < points[i - 1].Point.Timestamp)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The smallest step between consecutive timestamps decides: about an hour, a day or a week.</summary>
    private static SeriesFrequency InferFrequency(List<NumberedPoint> points)
    {
        var smallest = TimeSpan.MaxValue;
        var at = 0;
        for (var i = 1; i < points.Count; i++)
        {
            var step = points[i].Point.Timestamp - points[i - 1].Point.Timestamp;
            if (step < smallest)
            {
                smallest = step;
                at = i;
            }
        }

        if (smallest == TimeSpan.Zero)
        {
            var duplicate = points[at];
            throw new VolumeHistoryException(
                $"the timestamp {duplicate.Point.Timestamp.ToString("O", CultureInfo.InvariantCulture)} appears twice{(points[at - 1].Line is { } first ? $" (also on line {first})" : "")}",
                duplicate.Line);
        }

        if (smallest == TimeSpan.FromHours(1))
        {
            return SeriesFrequency.Hourly;
        }

        // A day is 23 to 25 hours when the timestamps are local midnights across a daylight-saving change.
        if (smallest >= TimeSpan.FromHours(23) && smallest <= TimeSpan.FromHours(25))
        {
            return SeriesFrequency.Daily;
        }

        if (smallest >= TimeSpan.FromDays(7) - TimeSpan.FromHours(1) && smallest <= TimeSpan.FromDays(7) + TimeSpan.FromHours(1))
        {
            return SeriesFrequency.Weekly;
        }

        throw new VolumeHistoryException(
            $"the timestamps are {FormatStep(smallest)} apart; the history must be hourly, daily or weekly",
            points[at].Line);
    }

    private static DateTimeOffset Normalise(NumberedPoint point, SeriesFrequency frequency)
    {
        var timestamp = point.Point.Timestamp;
        if (frequency == SeriesFrequency.Hourly)
        {
            var utc = timestamp.ToUniversalTime();
            if (utc.Minute != 0 || utc.Second != 0 || utc.Millisecond != 0)
            {
                throw new VolumeHistoryException($"the timestamp {timestamp.ToString("O", CultureInfo.InvariantCulture)} is not at the start of an hour", point.Line);
            }

            return utc;
        }

        // A day or a week is the calendar date as written, whatever its offset: local midnights stay on their own date.
        if (timestamp.TimeOfDay != TimeSpan.Zero)
        {
            throw new VolumeHistoryException($"the timestamp {timestamp.ToString("O", CultureInfo.InvariantCulture)} of a {Describe(frequency)} history is not at midnight", point.Line);
        }

        return new DateTimeOffset(timestamp.Date, TimeSpan.Zero);
    }

    private static List<VolumePoint> Regularise(List<NumberedPoint> points, SeriesFrequency frequency, VolumeHistoryOptions options, List<string> repairs)
    {
        var step = SeriesPeriods.Step(frequency);
        var result = new List<VolumePoint>(points.Count) { points[0].Point };
        var filled = 0;
        for (var i = 1; i < points.Count; i++)
        {
            var previous = points[i - 1].Point.Timestamp;
            var current = points[i].Point.Timestamp;
            if (current == previous)
            {
                throw new VolumeHistoryException(
                    $"the period {current.ToString("O", CultureInfo.InvariantCulture)} appears twice{(points[i - 1].Line is { } first ? $" (also on line {first})" : "")}",
                    points[i].Line);
            }

            var gap = current - previous;
            if (gap.Ticks % step.Ticks != 0)
            {
                throw new VolumeHistoryException(
                    $"the timestamp {current.ToString("O", CultureInfo.InvariantCulture)} is off the {Describe(frequency)} grid ({FormatStep(gap)} after the previous one)",
                    points[i].Line);
            }

            var missing = (int)(gap.Ticks / step.Ticks) - 1;
            if (missing > 0)
            {
                if (!options.FillGapsWithZero)
                {
                    throw new VolumeHistoryException($"{missing} {PeriodName(frequency, missing)} missing before {current.ToString("O", CultureInfo.InvariantCulture)}", points[i].Line);
                }

                if (missing > options.MaxGapPeriods)
                {
                    throw new VolumeHistoryException(
                        $"{missing} {PeriodName(frequency, missing)} missing before {current.ToString("O", CultureInfo.InvariantCulture)}, more than the {options.MaxGapPeriods} that may be filled with 0",
                        points[i].Line);
                }

                for (var k = 1; k <= missing; k++)
                {
                    result.Add(new VolumePoint(previous + (step * k), 0));
                }

                filled += missing;
                if (result.Count > options.MaxPoints)
                {
                    throw new VolumeHistoryException($"the history spans more than {options.MaxPoints} periods", points[i].Line);
                }
            }

            result.Add(points[i].Point);
        }

        if (filled > 0)
        {
            repairs.Add($"{filled} missing {PeriodName(frequency, filled)} filled with 0");
        }

        return result;
    }

    internal static string PeriodName(SeriesFrequency frequency, int count) => frequency switch
    {
        SeriesFrequency.Hourly => count == 1 ? "hour" : "hours",
        SeriesFrequency.Daily => count == 1 ? "day" : "days",
        _ => count == 1 ? "week" : "weeks",
    };

    private static string FormatOffset(TimeSpan offset)
        => offset == TimeSpan.Zero ? "Z" : (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string FormatStep(TimeSpan step)
        => step.TotalHours < 48 ? $"{step.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} hours" : $"{step.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days";
}

/// <summary>A point with the line it came from, so that an error can name the line.</summary>
internal readonly record struct NumberedPoint(VolumePoint Point, int? Line);
