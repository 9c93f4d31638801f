using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;

namespace Deliverability.Core.DmarcReports.Analysis;

/// <summary>One (domain, day, source IP, disposition, alignment) cell of <c>dmarc_daily</c>, summed over header-from domains.</summary>
public sealed record DailyCount(string Domain, DateOnly Day, string SourceIp, string Disposition, bool DkimAligned, bool SpfAligned, long Messages)
{
    public bool DmarcPass => DkimAligned || SpfAligned;
}

/// <summary>A stored aggregate report as listed.</summary>
public sealed record StoredReportSummary(long Id, string OrgName, string ReportId, string PolicyDomain, DateTimeOffset Begin, DateTimeOffset End, string? Policy, DateTimeOffset ImportedAt, string Origin);

/// <summary>A stored report with its raw XML (cut at <see cref="StoredReports.MaxRawChars"/>).</summary>
public sealed record StoredReportXml(StoredReportSummary Report, string Xml, bool Truncated);

/// <summary>The sessions of the TLS-RPT reports of one policy domain.</summary>
public sealed record TlsSessions(string Domain, long Successful, long Failed, DateTimeOffset FirstEnd);

/// <summary>The queries over the stored reports (the tables the importer writes), in one place.</summary>
public sealed class StoredReports(IDbContextFactory<MonitorDbContext> contexts)
{
    public const int MaxRawChars = 2_000_000;

    public async Task<IReadOnlyList<DailyCount>> DailyAsync(string? domain, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<DmarcDailyRow>().AsNoTracking().Where(r => r.Day >= from && r.Day <= to);
        if (domain is not null)
        {
            rows = rows.Where(r => r.PolicyDomain == domain);
        }

        return await rows
            .GroupBy(r => new { r.PolicyDomain, r.Day, r.SourceIp, r.Disposition, r.DkimAligned, r.SpfAligned })
            .Select(g => new DailyCount(g.Key.PolicyDomain, g.Key.Day, g.Key.SourceIp, g.Key.Disposition, g.Key.DkimAligned, g.Key.SpfAligned, g.Sum(r => r.Messages)))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredReportSummary>> ReportsAsync(string? domain, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<DmarcReportRow>().AsNoTracking();
        if (domain is not null)
        {
            rows = rows.Where(r => r.PolicyDomain == domain);
        }

        return await rows.OrderByDescending(r => r.Id).Take(Math.Clamp(count, 1, 500))
            .Select(r => new StoredReportSummary(r.Id, r.OrgName, r.ReportId, r.PolicyDomain, r.Begin, r.End, r.PolicyP, r.ImportedAt, r.Origin))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredReportXml?> RawAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<DmarcReportRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var summary = new StoredReportSummary(row.Id, row.OrgName, row.ReportId, row.PolicyDomain, row.Begin, row.End, row.PolicyP, row.ImportedAt, row.Origin);
        // No raw report is kept when it was over the stored bound (RawTruncated).
        var (xml, truncated) = Decompress(row.RawGzip ?? []);
        return new StoredReportXml(summary, xml, truncated || row.RawTruncated);
    }

    /// <summary>The TLS-RPT sessions of the reports that ended at or after <paramref name="since"/>, per policy domain.</summary>
    public async Task<IReadOnlyList<TlsSessions>> TlsSessionsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var reports = await db.Set<TlsRptReportRow>().AsNoTracking().Where(r => r.End >= since)
            .Select(r => new { r.Id, r.PolicyDomain, r.End }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = reports.Select(r => r.Id).ToList();
        var policies = await db.Set<TlsRptPolicyRow>().AsNoTracking().Where(p => ids.Contains(p.ReportRowId))
            .Select(p => new { p.ReportRowId, p.SuccessfulSessions, p.FailedSessions }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var byReport = policies.ToLookup(p => p.ReportRowId);
        return [.. reports.GroupBy(r => r.PolicyDomain, StringComparer.OrdinalIgnoreCase).Select(g => new TlsSessions(
            g.Key,
            g.Sum(r => byReport[r.Id].Sum(p => p.SuccessfulSessions)),
            g.Sum(r => byReport[r.Id].Sum(p => p.FailedSessions)),
            g.Min(r => r.End)))];
    }

    private static (string Xml, bool Truncated) Decompress(byte[] gzip)
    {
        if (gzip.Length == 0)
        {
            return ("", false);
        }

        try
        {
            using var reader = new StreamReader(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress), Encoding.UTF8);
            var buffer = new char[MaxRawChars + 1];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            return read > MaxRawChars ? (new string(buffer, 0, MaxRawChars), true) : (new string(buffer, 0, read), false);
        }
        catch (InvalidDataException)
        {
            // Not gzip data: shown as the text it is.
            var text = Encoding.UTF8.GetString(gzip);
            return text.Length > MaxRawChars ? (text[..MaxRawChars], true) : (text, false);
        }
    }
}
