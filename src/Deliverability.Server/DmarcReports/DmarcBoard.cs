using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports.Analysis;
using Deliverability.Core.DmarcReports.Mailbox;

namespace Deliverability.Server.DmarcReports;

/// <summary>The read model of the DMARC page, the domain page's readiness panel and <c>/api/dmarc</c>.</summary>
public sealed class DmarcBoard(DmarcAnalyzer analyzer, StoredReports reports, ReportInputLog inputs, IOptionsMonitor<DmarcIngestOptions> options)
{
    public const int MaxDays = 366;

    public PolicyReadinessOptions Readiness => options.CurrentValue.Readiness;

    public long MaxUploadBytes => options.CurrentValue.MaxUploadBytes;

    public Task<IReadOnlyList<DmarcDomainSummary>> DomainsAsync(int days, CancellationToken cancellationToken) => analyzer.DomainsAsync(Days(days), cancellationToken);

    public Task<IReadOnlyList<DmarcDay>> DailyAsync(string domain, int days, CancellationToken cancellationToken) => analyzer.DailyAsync(domain, Days(days), cancellationToken);

    public Task<IReadOnlyList<DmarcSource>> SourcesAsync(string domain, int days, CancellationToken cancellationToken) => analyzer.SourcesAsync(domain, Days(days), cancellationToken);

    public Task<PolicyReadiness> ReadinessAsync(string domain, CancellationToken cancellationToken) => analyzer.ReadinessAsync(domain, Readiness, cancellationToken);

    public Task<IReadOnlyList<StoredReportSummary>> ReportsAsync(string? domain, int count, CancellationToken cancellationToken) => reports.ReportsAsync(domain, count, cancellationToken);

    public Task<StoredReportXml?> ReportAsync(long id, CancellationToken cancellationToken) => reports.RawAsync(id, cancellationToken);

    public Task<IReadOnlyList<ReportInput>> InputsAsync(int count, ReportInputOutcome? outcome, CancellationToken cancellationToken) => inputs.LatestAsync(count, outcome, cancellationToken);

    public static int Days(int days) => Math.Clamp(days, 1, MaxDays);
}
