using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Core.Audits;

namespace Deliverability.Cli;

/// <summary>The <c>--json</c> form of an audit: one object, camelCase names, enums as lower-case strings.</summary>
public static class AuditReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // A terminal or a pipe reads this, not a web page: keep quotes and apostrophes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // NDJSON: the same object on one line per domain.
    private static readonly JsonSerializerOptions LineOptions = new(Options) { WriteIndented = false };

    public static string Serialize(DomainAuditReport report) => Serialize(report, Options);

    /// <summary>The report as one line of JSON, for <c>--json</c> over many domains (NDJSON).</summary>
    public static string SerializeLine(DomainAuditReport report) => Serialize(report, LineOptions);

    private static string Serialize(DomainAuditReport report, JsonSerializerOptions options) => JsonSerializer.Serialize(
        new AuditJson(
            report.Domain,
            report.CheckedAt,
            report.Status,
            report.ExitCode,
            [.. report.Checks.Select(c => new CheckJson(
                c.Check,
                c.Status,
                c.Records,
                [.. c.Findings.Select(f => new FindingJson(f.Code, f.Severity, f.Message, f.Fix, f.Subject))]))]),
        options);

    private sealed record AuditJson(string Domain, DateTimeOffset CheckedAt, CheckStatus Status, int ExitCode, IReadOnlyList<CheckJson> Checks);

    private sealed record CheckJson(string Check, CheckStatus Status, IReadOnlyList<string> Records, IReadOnlyList<FindingJson> Findings);

    private sealed record FindingJson(string Code, Severity Severity, string Message, string Fix, string? Subject);
}
