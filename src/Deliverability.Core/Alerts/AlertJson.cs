using System.Text.Json;

namespace Deliverability.Core.Alerts;

/// <summary>How labels, annotations, matchers and fingerprint sets are written into their JSON columns.</summary>
public static class AlertJson
{
    public static string Write(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(map.ToDictionary(), StringComparer.Ordinal));

    public static string Write(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToArray());

    public static IReadOnlyDictionary<string, string> Map(string json) =>
        JsonSerializer.Deserialize<SortedDictionary<string, string>>(json) ?? new SortedDictionary<string, string>(StringComparer.Ordinal);

    public static string[] List(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
