namespace Deliverability.Core.DmarcReports;

public enum ReportKind { DmarcAggregate, TlsRpt }

public enum ImportStatus { Imported, Duplicate, Invalid }

/// <summary>One report found in the input (an e-mail or a zip may carry several).</summary>
public sealed record ImportedReport(ImportStatus Status, ReportKind? Kind, string? OrgName, string? ReportId, string? PolicyDomain,
    DateTimeOffset? Begin, DateTimeOffset? End, int Records, long Messages, long DmarcPass, long SpfAlignedPass, long DkimAlignedPass,
    string? Reason);

public sealed record ImportResult(IReadOnlyList<ImportedReport> Reports)
{
    /// <summary>True when nothing in the input could be read as a report, or any report in it was invalid.</summary>
    public bool HasInvalid => Reports.Count == 0 || Reports.Any(r => r.Status == ImportStatus.Invalid);
}

public interface IReportImporter
{
    /// <summary>
    /// Detects the format by content, parses, and stores every report in it. Returns only after the reports are committed
    /// (an Imported or Duplicate status is durable). Invalid input is an Invalid entry with the reason, never an exception.
    /// A storage failure throws (the caller keeps the input and retries): nothing of that input is half stored.
    /// </summary>
    Task<ImportResult> ImportAsync(Stream content, string origin, CancellationToken cancellationToken);
}
