using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deliverability.Load;

/// <summary>The report's JSON: camelCase, enums as camelCase strings, versioned by <c>schemaVersion</c>.</summary>
internal static class RunReportJson
{
    public const int MaxDocumentLength = 256 * 1024 * 1024;

    public static readonly JsonSerializerOptions Options = Create(indented: false);
    private static readonly JsonSerializerOptions IndentedOptions = Create(indented: true);

    public static string Serialize(RunReport report, bool indented) =>
        JsonSerializer.Serialize(report, indented ? IndentedOptions : Options);

    public static RunReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxDocumentLength)
        {
            throw new FormatException("the report is larger than 256 MB");
        }

        int? version;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            version = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("schemaVersion", out var versionElement)
                && versionElement.TryGetInt32(out var number) ? number : null;
        }
        catch (JsonException exception)
        {
            throw new FormatException($"the report is not valid JSON: {OneLine(exception.Message)}", exception);
        }

        if (version is null)
        {
            throw new FormatException("the document is not a load-test report (no schemaVersion)");
        }

        if (version != RunReport.CurrentSchemaVersion)
        {
            throw new FormatException(
                $"the report has schema version {version}; this version reads {RunReport.CurrentSchemaVersion}");
        }

        RunReport report;
        try
        {
            report = JsonSerializer.Deserialize<RunReport>(json, Options)
                ?? throw new FormatException("the report is empty");
        }
        catch (JsonException exception)
        {
            throw new FormatException($"the report does not match the schema: {OneLine(exception.Message)}", exception);
        }

        foreach (var scenario in report.Scenarios)
        {
            var histograms = scenario.Steps.Select(step => step.Stats).Prepend(scenario.Stats)
                .SelectMany(stats => new[] { stats.ResponseTime.Histogram, stats.ServiceTime.Histogram })
                .Concat(scenario.TimeSeries.Select(point => point.Histogram));
            foreach (var histogram in histograms)
            {
                LatencyHistogram.Validate(histogram);
            }
        }

        return report;
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            MaxDepth = 32,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static string OneLine(string text) => ThresholdParser.Sanitise(text.Length > 300 ? text[..300] : text);
}
