using System.Globalization;
using Deliverability.Core.DmarcReports;

namespace Deliverability.Cli.Dmarc;

/// <summary>The output of <c>monitor dmarc import</c>: one line per report, then the totals; or one JSON object.</summary>
internal static class DmarcImportText
{
    public static async Task WriteAsync(TextWriter stdout, string file, ImportedReport report)
    {
        var status = report.Status switch
        {
            ImportStatus.Imported => "imported ",
            ImportStatus.Duplicate => "duplicate",
            _ => "invalid  ",
        };
        if (report.Status == ImportStatus.Invalid && report.ReportId is null)
        {
            await stdout.WriteLineAsync($"{status}  {file}: {report.Reason}");
            return;
        }

        var kind = report.Kind == ReportKind.TlsRpt ? "tls-rpt" : "dmarc";
        var counts = report.Kind == ReportKind.TlsRpt
            ? $"{report.Records} policies, {report.Messages} sessions, {report.DmarcPass} successful ({Percent(report.DmarcPass, report.Messages)})"
            : $"{report.Records} records, {report.Messages} messages, dmarc pass {report.DmarcPass} ({Percent(report.DmarcPass, report.Messages)}), "
              + $"spf aligned {report.SpfAlignedPass}, dkim aligned {report.DkimAlignedPass}";
        await stdout.WriteLineAsync($"{status}  {kind}  {report.OrgName}  {report.ReportId}  {report.PolicyDomain}  {DmarcCommand.Utc(report.Begin)} to {DmarcCommand.Utc(report.End)}  {counts}");
        if (report.Status == ImportStatus.Invalid)
        {
            await stdout.WriteLineAsync($"           {file}: {report.Reason}");
        }
    }

    public static async Task WriteTotalsAsync(TextWriter stdout, IReadOnlyList<ImportedReport> reports, string database)
    {
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync($"{reports.Count} reports: {reports.Count(r => r.Status == ImportStatus.Imported)} imported, "
            + $"{reports.Count(r => r.Status == ImportStatus.Duplicate)} duplicates, {reports.Count(r => r.Status == ImportStatus.Invalid)} invalid; stored in {database}");
    }

    public static object JsonOf(IReadOnlyList<(string File, ImportedReport Report)> results) => new
    {
        Reports = results.Select(r => new
        {
            r.File,
            Status = r.Report.Status.ToString().ToLowerInvariant(),
            Kind = r.Report.Kind switch { ReportKind.TlsRpt => "tls-rpt", ReportKind.DmarcAggregate => "dmarc", _ => null },
            r.Report.OrgName,
            r.Report.ReportId,
            r.Report.PolicyDomain,
            r.Report.Begin,
            r.Report.End,
            r.Report.Records,
            r.Report.Messages,
            r.Report.DmarcPass,
            r.Report.SpfAlignedPass,
            r.Report.DkimAlignedPass,
            r.Report.Reason,
        }),
        Imported = results.Count(r => r.Report.Status == ImportStatus.Imported),
        Duplicates = results.Count(r => r.Report.Status == ImportStatus.Duplicate),
        Invalid = results.Count(r => r.Report.Status == ImportStatus.Invalid),
    };

    public static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
