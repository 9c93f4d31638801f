using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Storage;

/// <summary>How findings and records are written into and read from their JSON columns.</summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(IReadOnlyList<Finding> findings) => JsonSerializer.Serialize(findings, Options);

    public static string Write(IReadOnlyList<string> records) => JsonSerializer.Serialize(records, Options);

    public static IReadOnlyList<Finding> Findings(CheckStateRow row) => Findings(row.FindingsJson);

    /// <exception cref="JsonException"><paramref name="json"/> is not a list of findings.</exception>
    public static IReadOnlyList<Finding> Findings(string json) =>
        JsonSerializer.Deserialize<Finding[]>(json, Options) ?? [];

    public static IReadOnlyList<string> Records(CheckStateRow row) =>
        JsonSerializer.Deserialize<string[]>(row.RecordsJson, Options) ?? [];
}
