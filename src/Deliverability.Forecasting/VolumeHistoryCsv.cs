using System.Globalization;

namespace Deliverability.Forecasting;

/// <summary>Reads and writes <c>timestamp,count</c> history files.</summary>
public static class VolumeHistoryCsv
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK",
    ];

    /// <summary>
    /// <c>timestamp,count</c> with or without a header; timestamps are ISO 8601 with an offset (<c>Z</c> or <c>+01:00</c>)
    /// or plain dates (<c>2011-10-03</c>) for daily and weekly data. Bounded (rows, line length); one-line errors naming the line.
    /// </summary>
    /// <exception cref="VolumeHistoryException">The file cannot be used as a history; the message names the line.</exception>
    public static VolumeSeries Read(TextReader reader, string stream, VolumeHistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= VolumeHistoryOptions.Default;

        // Create checks the stream name before it reads the first line.
        return VolumeSeries.Create(stream, ReadPoints(reader, options), options);
    }

    /// <summary>Writes the series as <c>timestamp,count</c> with a header, timestamps in UTC.</summary>
    public static void Write(TextWriter writer, VolumeSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        Write(writer, series.Points);
    }

    /// <summary>Writes <paramref name="points"/> as <c>timestamp,count</c> with a header, timestamps in UTC.</summary>
    public static void Write(TextWriter writer, IEnumerable<VolumePoint> points)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(points);
        writer.WriteLine("timestamp,count");
        foreach (var point in points)
        {
            writer.Write(point.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(point.Count.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static IEnumerable<NumberedPoint> ReadPoints(TextReader reader, VolumeHistoryOptions options)
    {
        var lineNumber = 0;
        var buffer = new char[options.MaxLineLength + 2];
        while (ReadBoundedLine(reader, buffer, options.MaxLineLength, ++lineNumber) is { } line)
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (lineNumber - 1 > options.MaxPoints + 1)
            {
                throw new VolumeHistoryException($"the file has more than {options.MaxPoints} rows", lineNumber);
            }

            var comma = text.IndexOf(',');
            if (comma < 0 || text.IndexOf(',', comma + 1) >= 0)
            {
                throw new VolumeHistoryException("expected two fields: timestamp,count", lineNumber);
            }

            var timestampText = Unquote(text[..comma].Trim());
            var countText = Unquote(text[(comma + 1)..].Trim());
            var isNumber = double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out var count);
            if (!isNumber && lineNumber == 1 && !LooksLikeTimestamp(timestampText))
            {
                continue; // the header
            }

            if (!isNumber)
            {
                throw new VolumeHistoryException($"the count '{Shorten(countText)}' is not a number", lineNumber);
            }

            yield return new NumberedPoint(new VolumePoint(ParseTimestamp(timestampText, lineNumber), count), lineNumber);
        }
    }

    private static string? ReadBoundedLine(TextReader reader, char[] buffer, int maxLength, int lineNumber)
    {
        var length = 0;
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                return length == 0 ? null : new string(buffer, 0, length);
            }

            if (next == '\n')
            {
                return new string(buffer, 0, length);
            }

            if (length >= maxLength)
            {
                throw new VolumeHistoryException($"the line is longer than {maxLength} characters", lineNumber);
            }

            buffer[length++] = (char)next;
        }
    }

    private static DateTimeOffset ParseTimestamp(string text, int lineNumber)
    {
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (!HasOffset(text))
        {
            throw new VolumeHistoryException(
                $"the timestamp '{Shorten(text)}' has no time zone: end it with Z or an offset such as +01:00", lineNumber);
        }

        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            throw new VolumeHistoryException($"the timestamp '{Shorten(text)}' is not ISO 8601 (2011-10-03T09:00:00Z)", lineNumber);
        }

        return timestamp;
    }

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        // ...+hh:mm or ...-hh:mm after the time of day.
        return text.Length > 16 && text[^6] is '+' or '-' && text[^3] == ':';
    }

    private static bool LooksLikeTimestamp(string text) => text.Length >= 4 && char.IsAsciiDigit(text[0]);

    private static string Unquote(string text)
        => text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Trim() : text;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
