using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports.TlsRpt;
using Deliverability.Core.Storage;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// Stores a TLS-RPT report as one row per policy domain with its policies, each in one transaction, de-duplicated by
/// (org, report id, policy domain) like aggregate reports.
/// </summary>
public sealed class TlsRptStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ImportedReport>> StoreAsync(TlsRptReport report, string origin, byte[]? rawGzip, CancellationToken cancellationToken)
    {
        var results = new List<ImportedReport>();
        foreach (var domain in report.Policies.GroupBy(p => p.PolicyDomain))
        {
            results.Add(await StoreDomainAsync(report, domain.Key, [.. domain], origin, rawGzip, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<ImportedReport> StoreDomainAsync(TlsRptReport report, string domain, List<TlsRptPolicy> policies, string origin, byte[]? rawGzip, CancellationToken cancellationToken)
    {
        origin = origin.Length <= ReportLimits.MaxValueLength ? origin : origin[..ReportLimits.MaxValueLength];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.Set<TlsRptReportRow>().AsNoTracking()
            .Where(r => r.OrgName == report.OrgName && r.ReportId == report.ReportId && r.PolicyDomain == domain)
            .Select(r => r.Origin).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return await DuplicateAsync(report, domain, policies, origin, stored, cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = new TlsRptReportRow
        {
            OrgName = report.OrgName,
            ReportId = report.ReportId,
            PolicyDomain = domain,
            ContactInfo = report.ContactInfo,
            Begin = report.Begin,
            End = report.End,
            Origin = origin,
            ImportedAt = time.GetUtcNow(),
            SuccessfulSessions = policies.Sum(p => p.SuccessfulSessions),
            FailedSessions = policies.Sum(p => p.FailedSessions),
            RawGzip = rawGzip,
        };
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return await DuplicateAsync(report, domain, policies, origin, "another delivery stored at the same moment", cancellationToken).ConfigureAwait(false);
        }

        foreach (var policy in policies)
        {
            db.Add(new TlsRptPolicyRow
            {
                ReportRowId = row.Id,
                PolicyType = policy.PolicyType.Length <= 32 ? policy.PolicyType : policy.PolicyType[..32],
                PolicyString = policy.PolicyString.Count == 0 ? null : string.Join('\n', policy.PolicyString),
                PolicyDomain = domain,
                MxHosts = policy.MxHosts.Count == 0 ? null : string.Join('\n', policy.MxHosts),
                SuccessfulSessions = policy.SuccessfulSessions,
                FailedSessions = policy.FailedSessions,
                FailureDetails = policy.Failures.Count == 0 ? null : JsonSerializer.Serialize(policy.Failures, Json),
            });
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Summary(ImportStatus.Imported, report, domain, policies, null);
    }

    private async Task<ImportedReport> DuplicateAsync(TlsRptReport report, string domain, List<TlsRptPolicy> policies, string origin, string storedFrom, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Add(new DmarcReportDuplicateRow { Kind = ReportKind.TlsRpt, OrgName = report.OrgName, ReportId = report.ReportId, PolicyDomain = domain, Origin = origin, At = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Summary(ImportStatus.Duplicate, report, domain, policies, $"already stored (from {storedFrom})");
    }

    /// <summary>For TLS-RPT, records are the policies, messages the sessions, and the pass count the successful sessions.</summary>
    private static ImportedReport Summary(ImportStatus status, TlsRptReport report, string domain, List<TlsRptPolicy> policies, string? reason)
    {
        var successful = policies.Sum(p => p.SuccessfulSessions);
        return new ImportedReport(status, ReportKind.TlsRpt, report.OrgName, report.ReportId, domain, report.Begin, report.End, policies.Count,
            successful + policies.Sum(p => p.FailedSessions), successful, 0, 0, reason);
    }
}
