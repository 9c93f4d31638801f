using System.Globalization;
using System.Text;
using System.Text.Json;
using Deliverability.Forecasting;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// A history posted to <c>/api/forecasts/history/{stream}</c>, read into a validated series: CSV (<c>timestamp,count</c>,
/// read by the forecaster's own reader, whose errors name the line) or JSON (an array of <c>{"timestamp", "count"}</c>,
/// or an object with such a <c>points</c> array, whose errors name the item). Never throws: a problem is one line.
/// </summary>
public static class HistoryInput
{
    public static (VolumeSeries? Series, string? Problem) Read(string stream, ReadOnlySpan<byte> body, bool json)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return (null, "body: not UTF-8 text");
        }

        try
        {
            if (!json)
            {
                using var reader = new StringReader(text);
                return (VolumeHistoryCsv.Read(reader, stream), null);
            }

            var (points, problem) = JsonPoints(text);
            return problem is null ? (VolumeSeries.Create(stream, points!), null) : (null, problem);
        }
        catch (VolumeHistoryException ex)
        {
            return (null, OneLine(ex.Message));
        }
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

                if (!item.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetDouble(out var value) || !double.IsFinite(value))
                {
                    return (null, $"{at}.count: a number is expected");
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

    private static string OneLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
