using System.Globalization;
using System.Text.Json;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>Lenient reads of a provider's JSON: a field of an unexpected type is absent, never an exception.</summary>
internal static class JsonFields
{
    /// <summary>The most characters kept of any text field before normalisation bounds it further.</summary>
    private const int MaxText = 4000;

    public static JsonElement? Get(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

    /// <summary>A string, or a number as its text (Mailjet's MessageID is a 19-digit number).</summary>
    public static string? Text(this JsonElement e, string name) => e.Get(name) is { } v ? AsText(v) : null;

    public static string? AsText(JsonElement v)
    {
        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Length > MaxText ? text[..MaxText] : text;
    }

    public static bool Flag(this JsonElement e, string name) =>
        e.Get(name) is { } v && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out var b) && b));

    public static long? Integer(this JsonElement e, string name)
    {
        if (e.Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d is > long.MinValue and < long.MaxValue)
        {
            return (long)d;
        }

        return v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n) ? n : null;
    }

    /// <summary>Strings of a string or an array of strings (SendGrid's category is either).</summary>
    public static IReadOnlyList<string> Strings(this JsonElement e, string name)
    {
        if (e.Get(name) is not { } v)
        {
            return [];
        }

        if (v.ValueKind == JsonValueKind.Array)
        {
            return [.. v.EnumerateArray().Take(50).Select(AsText).OfType<string>()];
        }

        return AsText(v) is { } one ? [one] : [];
    }

    /// <summary>A unix time in seconds (whole or fractional, number or string).</summary>
    public static DateTimeOffset? UnixTime(this JsonElement e, string name)
    {
        if (e.Get(name) is not { } v)
        {
            return null;
        }

        double seconds;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d))
        {
            seconds = d;
        }
        else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d))
        {
            seconds = d;
        }
        else
        {
            return null;
        }

        return seconds is > 0 and < 253402300799 ? DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000)) : null;
    }

    /// <summary>An ISO 8601 date and time (Postmark, SES, SNS), in UTC.</summary>
    public static DateTimeOffset? Time(this JsonElement e, string name) =>
        e.Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at.ToUniversalTime() : null;

    /// <summary>Reads <paramref name="body"/> as JSON, or throws <see cref="SendEventFormatException"/> saying where it is not.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new SendEventFormatException("body: empty; a JSON body is expected");
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new SendEventFormatException($"body: not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
        }
    }
}
