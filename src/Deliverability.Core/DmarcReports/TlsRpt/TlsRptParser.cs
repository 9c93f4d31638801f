using System.Globalization;
using System.Text.Json;

namespace Deliverability.Core.DmarcReports.TlsRpt;

/// <summary>
/// Parses an RFC 8460 JSON report. Field names as the RFC spells them (<c>organization-name</c>, <c>date-range</c>,
/// <c>policies[].policy.policy-type</c>, <c>summary.total-successful-session-count</c>, <c>failure-details</c>); unknown
/// fields are ignored; a missing required one, or a count that is not a whole number, is an <see cref="InvalidReportException"/>.
/// </summary>
public static class TlsRptParser
{
    private const int MaxPolicies = 1000;
    private const int MaxFailures = 1000;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static async Task<TlsRptReport> ParseAsync(Stream json, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(json, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidReportException($"the JSON is not well-formed: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("policies", out _) && !root.TryGetProperty("report-id", out _))
            {
                throw new InvalidReportException("the JSON is not an SMTP TLS report (RFC 8460): no report-id or policies");
            }

            var range = Required(root, "date-range", JsonValueKind.Object);
            var policies = Required(root, "policies", JsonValueKind.Array);
            if (policies.GetArrayLength() > MaxPolicies)
            {
                throw new InvalidReportException($"the report has more than {MaxPolicies} policies: refused");
            }

            var begin = Time(range, "start-datetime");
            var end = Time(range, "end-datetime");
            if (end < begin)
            {
                throw new InvalidReportException($"date-range ends ({end:u}) before it begins ({begin:u})");
            }

            return new TlsRptReport(
                Key(root, "organization-name"), Key(root, "report-id"), OptionalText(root, "contact-info"), begin, end,
                [.. policies.EnumerateArray().Select(Policy)]);
        }
    }

    private static TlsRptPolicy Policy(JsonElement item)
    {
        var policy = Required(item, "policy", JsonValueKind.Object);
        var summary = Required(item, "summary", JsonValueKind.Object);
        var failures = item.TryGetProperty("failure-details", out var details) && details.ValueKind == JsonValueKind.Array ? details : default;
        if (failures.ValueKind == JsonValueKind.Array && failures.GetArrayLength() > MaxFailures)
        {
            throw new InvalidReportException($"a policy has more than {MaxFailures} failure details: refused");
        }

        var domain = Text(policy, "policy-domain").TrimEnd('.').ToLowerInvariant();
        if (domain.Length is 0 or > 253)
        {
            throw new InvalidReportException("a policy's policy-domain is empty or longer than 253 characters");
        }

        return new TlsRptPolicy(
            Text(policy, "policy-type").ToLowerInvariant(),
            Strings(policy, "policy-string"),
            domain,
            Strings(policy, "mx-host"),
            Count(summary, "total-successful-session-count"),
            Count(summary, "total-failure-session-count"),
            failures.ValueKind == JsonValueKind.Array ? [.. failures.EnumerateArray().Select(Failure)] : []);
    }

    private static TlsRptFailure Failure(JsonElement item) => new(
        Text(item, "result-type").ToLowerInvariant(),
        OptionalText(item, "sending-mta-ip"),
        OptionalText(item, "receiving-mx-hostname"),
        OptionalText(item, "receiving-mx-helo"),
        OptionalText(item, "receiving-ip"),
        Count(item, "failed-session-count"),
        OptionalText(item, "additional-information"),
        OptionalText(item, "failure-reason-code"));

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : throw new InvalidReportException($"the report has no {name}");

    private static string Text(JsonElement parent, string name) =>
        OptionalText(parent, name) ?? throw new InvalidReportException($"the report has no {name}");

    private static string Key(JsonElement parent, string name)
    {
        var value = Text(parent, name);
        return value.Length <= ReportLimits.MaxKeyLength ? value : throw new InvalidReportException($"{name} is longer than {ReportLimits.MaxKeyLength} characters");
    }

    private static string? OptionalText(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text.Length <= ReportLimits.MaxValueLength ? text : text[..ReportLimits.MaxValueLength];
    }

    private static List<string> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Take(100).Select(v => v.GetString()!)]
            : [];

    private static long Count(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return 0; // RFC 8460 requires the summary counts; some senders omit a zero
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : throw new InvalidReportException($"{name} is not a whole number of sessions");
    }

    private static DateTimeOffset Time(JsonElement range, string name)
    {
        var text = Text(range, name);
        // RFC 3339 date-time; a time without an offset is taken as UTC, never as the host's local time.
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidReportException($"date-range {name} '{(text.Length > 40 ? text[..40] : text)}' is not an RFC 3339 date-time");
    }
}
