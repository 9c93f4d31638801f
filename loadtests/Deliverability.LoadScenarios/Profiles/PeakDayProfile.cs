using System.Globalization;
using Deliverability.Load;

namespace Deliverability.LoadScenarios;

/// <summary>
/// The hourly send volume of a peak day, compressed into minutes: its shape scaled so that the busiest hour runs at
/// <see cref="PeakRate"/> per second, each hour a linear ramp (to that hour's rate) lasting 1/24 of <see cref="CompressTo"/>.
/// </summary>
public sealed record PeakDayProfile
{
    /// <summary>Hours in a day, and rows in a profile.</summary>
    public const int Hours = 24;

    /// <summary>The largest profile file read.</summary>
    public const int MaxFileBytes = 64 * 1024;

    /// <summary>The shortest compression: one second per hour.</summary>
    public static readonly TimeSpan MinCompressTo = TimeSpan.FromSeconds(Hours);

    /// <summary>The longest compression: the real day.</summary>
    public static readonly TimeSpan MaxCompressTo = TimeSpan.FromHours(Hours);

    /// <summary>The messages of each hour, 0 to 23.</summary>
    public required IReadOnlyList<double> HourlyCounts { get; init; }

    /// <summary>The rate per second of the busiest hour.</summary>
    public required double PeakRate { get; init; }

    /// <summary>How long the compressed day runs.</summary>
    public required TimeSpan CompressTo { get; init; }

    /// <summary>The rate per second of each hour: the count scaled so that the busiest hour is <see cref="PeakRate"/>.</summary>
    public IReadOnlyList<double> HourlyRates()
    {
        var max = HourlyCounts.Max();
        return [.. HourlyCounts.Select(count => max > 0 ? count / max * PeakRate : 0)];
    }

    /// <summary>Each hour a ramp from the previous hour's rate to its own (from 0 before the first).</summary>
    public IReadOnlyList<LoadSimulation> ToSimulations()
    {
        var slot = CompressTo / Hours;
        return [.. HourlyRates().Select(rate => Simulation.RampingInject(rate, TimeSpan.FromSeconds(1), slot))];
    }

    /// <summary>
    /// Reads a profile CSV: a header <c>hour,count</c> or <c>timestamp,count</c>, then 24 rows (hours 0-23 once each, or
    /// 24 timestamps an hour apart in order). Throws <see cref="FormatException"/> with a one-line message naming the line.
    /// </summary>
    public static IReadOnlyList<double> ParseCounts(string csv)
    {
        var lines = csv.Split('\n').Select(line => line.TrimEnd('\r').Trim()).ToList();
        var number = 0;
        var header = NextLine(lines, ref number) ?? throw new FormatException("the profile is empty (expected a header 'hour,count' or 'timestamp,count')");
        var columns = header.Split(',');
        var byTimestamp = columns.Length == 2 && columns[0].Trim().Equals("timestamp", StringComparison.OrdinalIgnoreCase);
        if (columns.Length != 2 || !(byTimestamp || columns[0].Trim().Equals("hour", StringComparison.OrdinalIgnoreCase))
            || !columns[1].Trim().Equals("count", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"line {number}: the header must be 'hour,count' or 'timestamp,count'");
        }

        var counts = new double?[Hours];
        DateTimeOffset? first = null;
        var rows = 0;
        while (NextLine(lines, ref number) is { } line)
        {
            var cells = line.Split(',');
            if (cells.Length != 2)
            {
                throw new FormatException($"line {number}: expected two values separated by a comma");
            }

            if (!double.TryParse(cells[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || !double.IsFinite(count) || count < 0)
            {
                throw new FormatException($"line {number}: count '{Shorten(cells[1])}' is not a number of messages (0 or more)");
            }

            int hour;
            if (byTimestamp)
            {
                if (!DateTimeOffset.TryParse(cells[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
                {
                    throw new FormatException($"line {number}: timestamp '{Shorten(cells[0])}' is not a date and time");
                }

                first ??= timestamp;
                var offset = timestamp - first.Value;
                if (offset != TimeSpan.FromHours(rows))
                {
                    throw new FormatException($"line {number}: timestamps must be one hour apart, in order (this one is {offset.TotalHours:0.##} h after the first)");
                }

                hour = rows;
            }
            else if (!int.TryParse(cells[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out hour) || hour >= Hours)
            {
                throw new FormatException($"line {number}: hour '{Shorten(cells[0])}' is not 0 to 23");
            }

            if (hour >= Hours || counts[hour] is not null)
            {
                throw new FormatException(hour >= Hours ? $"line {number}: more than {Hours} rows" : $"line {number}: hour {hour} is given twice");
            }

            counts[hour] = count;
            rows++;
        }

        if (rows != Hours)
        {
            throw new FormatException($"the profile has {rows} rows; it needs {Hours}, one per hour");
        }

        if (counts.All(count => count == 0))
        {
            throw new FormatException("every hour's count is 0: the profile has no shape to scale");
        }

        return [.. counts.Select(count => count!.Value)];
    }

    // Blank lines and # comments are skipped.
    private static string? NextLine(List<string> lines, ref int number)
    {
        while (number < lines.Count)
        {
            var line = lines[number++];
            if (line.Length > 0 && line[0] != '#')
            {
                return line;
            }
        }

        return null;
    }

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= 40 ? text : text[..40] + "...";
    }
}
