using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Analysis;
using Deliverability.Core.DmarcReports.Mailbox;

namespace Deliverability.Server.DmarcReports;

public sealed record DmarcRatesDto(long Messages, long DmarcPass, long SpfAligned, long DkimAligned, double? PassRate, double? SpfRate, double? DkimRate, long None, long Quarantine, long Reject)
{
    public static DmarcRatesDto Of(DmarcRates r) => new(r.Messages, r.DmarcPass, r.SpfAligned, r.DkimAligned, r.PassRate, r.SpfRate, r.DkimRate, r.None, r.Quarantine, r.Reject);
}

public sealed record DmarcDomainDto(string Domain, DmarcRatesDto Rates, DateOnly LastDay, int Sources);

public sealed record DmarcDayDto(DateOnly Day, DmarcRatesDto Rates);

/// <param name="Class">aligned, forwarded, failing_known_source or unknown_source.</param>
public sealed record DmarcSourceDto(string Ip, DmarcRatesDto Rates, DateOnly FirstDay, DateOnly LastDay, string? ReverseName, string? BaseDomain, string? KnownService, string Class)
{
    public static DmarcSourceDto Of(DmarcSource s) => new(s.Ip, DmarcRatesDto.Of(s.Rates), s.FirstDay, s.LastDay, s.Identity.ReverseName, s.Identity.BaseDomain, s.Identity.KnownService, DmarcWords.Of(s.Class));
}

/// <param name="Verdict">no_data, not_ready, quarantine or reject.</param>
public sealed record PolicyReadinessDto(string Domain, string Verdict, string Headline, int Days, long Messages, long OwnMessages, double? PassRate, IReadOnlyList<string> Reasons, IReadOnlyList<DmarcSourceDto> StillFailing)
{
    public static PolicyReadinessDto Of(PolicyReadiness r) => new(r.Domain, DmarcWords.Of(r.Verdict), r.Headline, r.Days, r.Messages, r.OwnMessages, r.PassRate, r.Reasons, [.. r.StillFailing.Select(DmarcSourceDto.Of)]);
}

public sealed record DmarcReportDto(long Id, string OrgName, string ReportId, string PolicyDomain, DateTimeOffset Begin, DateTimeOffset End, string? Policy, DateTimeOffset ImportedAt, string Origin)
{
    public static DmarcReportDto Of(StoredReportSummary r) => new(r.Id, r.OrgName, r.ReportId, r.PolicyDomain, r.Begin, r.End, r.Policy, r.ImportedAt, r.Origin);
}

public sealed record DmarcReportXmlDto(DmarcReportDto Report, string Xml, bool Truncated);

/// <param name="Outcome">imported, duplicate, invalid or unsaved.</param>
public sealed record ReportInputDto(long Id, DateTimeOffset At, string Source, string Name, string Outcome, string? Reason, int Reports, string? MovedTo)
{
    public static ReportInputDto Of(ReportInput i) => new(i.Id, i.At, i.Source, i.Name, DmarcWords.Of(i.Outcome), i.Reason, i.Reports, i.MovedTo);
}

/// <param name="Status">imported, duplicate or invalid.</param>
/// <param name="Kind">dmarc or tlsrpt; null when unreadable.</param>
public sealed record UploadedReportDto(string Status, string? Kind, string? OrgName, string? ReportId, string? PolicyDomain, DateTimeOffset? Begin, DateTimeOffset? End, int Records, long Messages, string? Reason)
{
    public static UploadedReportDto Of(ImportedReport r) => new(DmarcWords.Of(r.Status), r.Kind is null ? null : r.Kind == ReportKind.TlsRpt ? "tlsrpt" : "dmarc", r.OrgName, r.ReportId, r.PolicyDomain, r.Begin, r.End, r.Records, r.Messages, r.Reason);
}

public sealed record UploadResultDto(string Outcome, string? Reason, IReadOnlyList<UploadedReportDto> Reports);

/// <summary>The snake-case words the API and the page use for the enums.</summary>
public static class DmarcWords
{
    public static string Of(SourceClass c) => c switch
    {
        SourceClass.Aligned => "aligned",
        SourceClass.Forwarded => "forwarded",
        SourceClass.FailingKnownSource => "failing_known_source",
        _ => "unknown_source",
    };

    public static string Of(PolicyVerdict v) => v switch
    {
        PolicyVerdict.Reject => "reject",
        PolicyVerdict.Quarantine => "quarantine",
        PolicyVerdict.NotReady => "not_ready",
        _ => "no_data",
    };

    public static string Of(ReportInputOutcome o) => o.ToString().ToLowerInvariant();

    public static string Of(ImportStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>The class as the page says it.</summary>
    public static string Shown(SourceClass c) => c switch
    {
        SourceClass.Aligned => "aligned",
        SourceClass.Forwarded => "forwarded",
        SourceClass.FailingKnownSource => "failing known source",
        _ => "unknown source",
    };
}
