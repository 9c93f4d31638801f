using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Deliverability.Core.DmarcReports;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// A test-only <see cref="IReportImporter"/> standing in for the real parser and store: it reads the report key (org,
/// report id, policy domain) of a plain XML or JSON report attached to a message, keeps the keys it "committed" (a
/// second delivery is a Duplicate), calls <see cref="BeforeSave"/> first (where a test checks what the mailbox looks
/// like at that moment), and throws on the calls <see cref="Fail"/> picks, as a store that cannot write would.
/// </summary>
internal sealed partial class StandInReportImporter : IReportImporter
{
    private readonly ConcurrentDictionary<string, int> _saved = new();
    private int _calls;

    /// <summary>Called at the start of each import with the call's number (1-based) and the report id found, if any.</summary>
    public Action<int, string?>? BeforeSave { get; set; }

    /// <summary>Whether the call (1-based number, report id) fails with a storage exception.</summary>
    public Func<int, string?, bool> Fail { get; set; } = (_, _) => false;

    public int Calls => _calls;

    public int Duplicates { get; private set; }

    /// <summary>The report ids committed so far.</summary>
    public IReadOnlyCollection<string> Saved => [.. _saved.Keys.Select(k => k.Split('|')[1])];

    public async Task<ImportResult> ImportAsync(Stream content, string origin, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        var text = ReportText(copy.ToArray());
        var report = text is null ? null : Read(text);
        BeforeSave?.Invoke(call, report?.ReportId);
        if (Fail(call, report?.ReportId))
        {
            throw new InvalidOperationException($"database is locked (injected failure on call {call})");
        }

        if (report is null)
        {
            return new ImportResult([new ImportedReport(ImportStatus.Invalid, null, null, null, null, null, null, 0, 0, 0, 0, 0, "no DMARC or TLS-RPT report found in the input")]);
        }

        var key = $"{report.OrgName}|{report.ReportId}|{report.PolicyDomain}";
        var status = _saved.TryAdd(key, call) ? ImportStatus.Imported : ImportStatus.Duplicate;
        if (status == ImportStatus.Duplicate)
        {
            Duplicates++;
        }

        return new ImportResult([report with { Status = status }]);
    }

    /// <summary>The first attachment's text, or the whole input when it is not an e-mail.</summary>
    private static string? ReportText(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (text.TrimStart().StartsWith('<') || text.TrimStart().StartsWith('{'))
        {
            return text;
        }

        try
        {
            var message = MimeMessage.Load(new MemoryStream(input));
            var part = message.Attachments.OfType<MimePart>().FirstOrDefault();
            if (part?.Content is null)
            {
                return null;
            }

            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded);
            return Encoding.UTF8.GetString(decoded.ToArray());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ImportedReport? Read(string text)
    {
        if (XmlReportId().Match(text) is { Success: true } xml && XmlOrg().Match(text) is { Success: true } org && XmlDomain().Match(text) is { Success: true } domain)
        {
            return new ImportedReport(ImportStatus.Imported, ReportKind.DmarcAggregate, org.Groups[1].Value, xml.Groups[1].Value, domain.Groups[1].Value, null, null, 1, 1, 1, 1, 1, null);
        }

        if (JsonReportId().Match(text) is { Success: true } json && JsonOrg().Match(text) is { Success: true } jsonOrg)
        {
            return new ImportedReport(ImportStatus.Imported, ReportKind.TlsRpt, jsonOrg.Groups[1].Value, json.Groups[1].Value, "example.com", null, null, 1, 0, 0, 0, 0, null);
        }

        return null;
    }

    [GeneratedRegex("<report_id>([^<]{1,200})</report_id>")]
    private static partial Regex XmlReportId();

    [GeneratedRegex("<org_name>([^<]{1,200})</org_name>")]
    private static partial Regex XmlOrg();

    [GeneratedRegex("<domain>([^<]{1,200})</domain>")]
    private static partial Regex XmlDomain();

    [GeneratedRegex("\"report-id\"\\s*:\\s*\"([^\"]{1,200})\"")]
    private static partial Regex JsonReportId();

    [GeneratedRegex("\"organization-name\"\\s*:\\s*\"([^\"]{1,200})\"")]
    private static partial Regex JsonOrg();
}
