using System.Globalization;
using System.Text;
using System.Text.Json;
using Deliverability.Forecasting;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// A history posted to <c>/api/forecasts/history/{stream}</c>, read into points: CSV (<c>timestamp,count</c>, read by the
/// forecaster's own reader, whose errors name the line) or JSON (an array of <c>{"timestamp", "count"}</c>, or an object
/// with such a <c>points</c> array, whose errors name the item). Two points or more are validated as a series here
/// (frequency, order, duplicates, gaps); a single point (a push of the latest hour) is checked with the stored history.
/// Never throws: a problem is one line.
/// </summary>
public static class HistoryInput
{
    public static (VolumeSeries? Series, IReadOnlyList<VolumePoint>? Points, string? Problem) Read(string stream, ReadOnlySpan<byte> body, bool json)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return (null, null, "body: not UTF-8 text");
        }

        try
        {
            if (!json)
            {
                var lines = DataLines(text);
                if (lines.Count == 0)
                {
                    return (null, null, "body: no timestamp,count line");
                }

                if (lines.Count == 1)
                {
                    var (point, lineProblem) = OneLine(lines[0].Text, lines[0].Number);
                    return (null, point, lineProblem);
                }

                using var reader = new StringReader(text);
                var series = VolumeHistoryCsv.Read(reader, stream);
                return (series, series.Points, null);
            }

            var (points, problem) = JsonPoints(text);
            if (problem is not null || points!.Count < 2)
            {
                return (null, points, problem ?? (points!.Count == 0 ? "body: the array of points is empty" : null));
            }

            var read = VolumeSeries.Create(stream, points);
            return (read, read.Points, null);
        }
        catch (VolumeHistoryException ex)
        {
            return (null, null, FirstLine(ex.Message));
        }
    }

    /// <summary>The lines that hold data: not blank, not the header (a first line that does not start with a digit).</summary>
    private static List<(string Text, int Number)> DataLines(string text)
    {
        var lines = new List<(string, int)>();
        var number = 0;
        var first = true;
        foreach (var line in text.Split('\n'))
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var header = first && !char.IsAsciiDigit(trimmed[0]);
            first = false;
            if (header)
            {
                continue;
            }

            lines.Add((trimmed, number));
            if (lines.Count > 1)
            {
                break; // more than one: the forecaster's reader reads them all
            }
        }

        return lines;
    }

    private static (IReadOnlyList<VolumePoint>? Points, string? Problem) OneLine(string line, int number)
    {
        var fields = line.Split(',');
        if (fields.Length != 2)
        {
            return (null, $"line {number}: expected two fields: timestamp,count");
        }

        if (line.Length > VolumeHistoryOptions.Default.MaxLineLength)
        {
            return (null, $"line {number}: the line is longer than {VolumeHistoryOptions.Default.MaxLineLength} characters");
        }

        if (Timestamp(fields[0].Trim()) is not { } when)
        {
            return (null, $"line {number}: the timestamp is not ISO 8601 with its offset (2026-11-27T10:00:00Z) nor a date (2026-11-27)");
        }

        if (!double.TryParse(fields[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || !double.IsFinite(count) || count < 0)
        {
            return (null, $"line {number}: the count is not a number of 0 or more");
        }

        return ([new VolumePoint(when, count)], null);
    }

    private static (List<VolumePoint>? Points, string? Problem) JsonPoints(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return (null, $"body: not valid JSON (line {(ex.LineNumber ?? 0) + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            var name = "points";
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("points", out var inner))
            {
                root = inner;
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                name = "body";
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return (null, "body: an array of {\"timestamp\": \"2026-11-27T10:00:00Z\", \"count\": 1200} (or an object with such a \"points\" array) is expected");
            }

            var points = new List<VolumePoint>(root.GetArrayLength());
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                var at = $"{name}[{i++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return (null, $"{at}: an object with \"timestamp\" and \"count\" is expected");
                }

                if (!item.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.String || Timestamp(timestamp.GetString()!) is not { } when)
                {
                    return (null, $"{at}.timestamp: a date and time with its offset such as \"2026-11-27T10:00:00Z\" (or a date such as \"2026-11-27\", midnight UTC) is expected");
                }

                if (!item.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetDouble(out var value) || !double.IsFinite(value) || value < 0)
                {
                    return (null, $"{at}.count: a number of 0 or more is expected");
                }

                points.Add(new VolumePoint(when, value));
            }

            return (points, null);
        }
    }

    private static DateTimeOffset? Timestamp(string text)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null;
    }

    // A time without an offset would be read in the server's own zone: a silent shift of every point.
    private static bool HasOffset(string text)
    {
        var time = text.AsSpan().Trim();
        var t = time.IndexOfAny('T', 't', ' ');
        if (t < 0)
        {
            return false;
        }

        var clock = time[(t + 1)..];
        return clock.EndsWith("Z") || clock.EndsWith("z") || clock.LastIndexOfAny('+', '-') > 0;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
