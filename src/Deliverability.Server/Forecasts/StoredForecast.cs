using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Core.Forecasts;
using Deliverability.Forecasting;

namespace Deliverability.Server.Forecasts;

/// <summary>How a forecast's points, repairs and campaigns are kept in a <see cref="ForecastRunRow"/> (compact JSON).</summary>
public static class StoredForecast
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string WritePoints(IEnumerable<ForecastPoint> points) =>
        JsonSerializer.Serialize(points.Select(p => new StoredPoint(p.Timestamp.ToUniversalTime(), p.Predicted, p.Lower, p.Upper)), Json);

    /// <summary>The points of <paramref name="run"/>; empty when it has none or they cannot be read.</summary>
    public static IReadOnlyList<ForecastPoint> Points(ForecastRunRow run)
    {
        if (run.PointsJson is null)
        {
            return [];
        }

        try
        {
            return [.. (JsonSerializer.Deserialize<StoredPoint[]>(run.PointsJson, Json) ?? []).Select(p => new ForecastPoint(p.T, p.P, p.Lo, p.Hi))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string WriteStrings(IEnumerable<string> values) => JsonSerializer.Serialize(values, Json);

    public static IReadOnlyList<string> Strings(string? json)
    {
        if (json is null)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static SeriesFrequency? Frequency(string? word) => word switch
    {
        "hourly" => SeriesFrequency.Hourly,
        "daily" => SeriesFrequency.Daily,
        "weekly" => SeriesFrequency.Weekly,
        _ => null,
    };

    public static string Word(SeriesFrequency frequency) => frequency.ToString().ToLowerInvariant();

    private sealed record StoredPoint(
        [property: JsonPropertyName("t")] DateTimeOffset T,
        [property: JsonPropertyName("p")] double P,
        [property: JsonPropertyName("lo")] double Lo,
        [property: JsonPropertyName("hi")] double Hi);
}
