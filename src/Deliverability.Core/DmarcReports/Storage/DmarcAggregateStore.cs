using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports.Aggregate;
using Deliverability.Core.DmarcReports.Formats;
using Deliverability.Core.Storage;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// Stores an aggregate report as it is read: the report row, then its records and daily sums in batches, all in one
/// transaction, so a report is stored whole or not at all (a malformed record 900,000 rolls back the 899,999 before it).
/// A report already stored, found by its (org, report id, policy domain) before or, in a race with another node, by the
/// unique index at the insert, is a duplicate: counted in <c>dmarc_report_duplicates</c>, not stored again.
/// </summary>
public sealed class DmarcAggregateStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    /// <summary>Records whose daily sums are gathered before they are written; memory holds one batch at a time.</summary>
    public const int BatchSize = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <exception cref="InvalidReportException">A record is malformed: nothing of the report is stored.</exception>
    public async Task<ImportedReport> StoreAsync(DmarcAggregateReader reader, DmarcReportHeader header, string origin, RawReportCapture raw, CancellationToken cancellationToken)
    {
        if (await StoredAsync(header, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return await DuplicateAsync(header, origin, stored, cancellationToken).ConfigureAwait(false);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var report = new DmarcReportRow
        {
            OrgName = header.OrgName,
            ReportId = header.ReportId,
            PolicyDomain = header.PolicyDomain,
            ReporterEmail = Bounded(header.ReporterEmail),
            Begin = header.Begin,
            End = header.End,
            Schema = header.Schema,
            PolicyP = header.Policy.P,
            PolicySp = header.Policy.Sp,
            PolicyNp = header.Policy.Np,
            Adkim = header.Policy.Adkim,
            Aspf = header.Policy.Aspf,
            Pct = header.Policy.Pct,
            Testing = header.Policy.Testing,
            DiscoveryMethod = header.Policy.DiscoveryMethod,
            Fo = header.Policy.Fo,
            Generator = Bounded(header.Generator),
            Errors = header.Errors.Count == 0 ? null : string.Join('\n', header.Errors),
            Origin = Bounded(origin) ?? "",
            ImportedAt = time.GetUtcNow(),
        };
        db.Add(report);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return await DuplicateAsync(header, origin, await StoredAsync(header, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var daily = new Dictionary<DailyKey, long>();
        await using var records = new RowInserter<DmarcRecordRow>(db);
        await using var days = new RowInserter<DmarcDailyRow>(db);
        var pending = 0;
        while (reader.TryReadRecord(out var record))
        {
            report.Records++;
            report.Messages += record.Count;
            report.DmarcPass += record.DmarcPass ? record.Count : 0;
            report.SpfAlignedPass += record.SpfAligned ? record.Count : 0;
            report.DkimAlignedPass += record.DkimAligned ? record.Count : 0;
            await records.AddAsync(RecordRow(report.Id, record), cancellationToken).ConfigureAwait(false);
            foreach (var (day, count) in DailySpread.Spread(header.Begin, header.End, record.Count))
            {
                var key = new DailyKey(day, record.SourceIp, record.HeaderFrom ?? "", record.Disposition ?? "", record.DkimAligned, record.SpfAligned);
                daily[key] = daily.GetValueOrDefault(key) + count;
            }

            if (++pending == BatchSize)
            {
                await FlushAsync(records, days, report, daily, cancellationToken).ConfigureAwait(false);
                pending = 0;
            }
        }

        await FlushAsync(records, days, report, daily, cancellationToken).ConfigureAwait(false);
        report.RawGzip = raw.CompressedCopy();
        report.RawTruncated = report.RawGzip is null;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Summary(ImportStatus.Imported, report, null);
    }

    /// <summary>Writes the batch's records and daily sums, then forgets them, so memory does not grow with the report.</summary>
    private static async Task FlushAsync(RowInserter<DmarcRecordRow> records, RowInserter<DmarcDailyRow> days, DmarcReportRow report, Dictionary<DailyKey, long> daily, CancellationToken cancellationToken)
    {
        await records.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (key, messages) in daily)
        {
            await days.AddAsync(new DmarcDailyRow
            {
                ReportRowId = report.Id,
                PolicyDomain = report.PolicyDomain,
                Day = key.Day,
                SourceIp = key.SourceIp,
                HeaderFrom = key.HeaderFrom,
                Disposition = key.Disposition,
                DkimAligned = key.DkimAligned,
                SpfAligned = key.SpfAligned,
                Messages = messages,
            }, cancellationToken).ConfigureAwait(false);
        }

        await days.FlushAsync(cancellationToken).ConfigureAwait(false);
        daily.Clear();
    }

    private static DmarcRecordRow RecordRow(long reportId, DmarcRecord record) => new()
    {
        ReportRowId = reportId,
        SourceIp = record.SourceIp,
        Count = record.Count,
        Disposition = record.Disposition,
        DkimEvaluated = record.DkimEvaluated,
        SpfEvaluated = record.SpfEvaluated,
        HeaderFrom = record.HeaderFrom,
        EnvelopeFrom = record.EnvelopeFrom,
        EnvelopeTo = record.EnvelopeTo,
        OverrideReasons = record.Reasons.Count == 0 ? null : JsonSerializer.Serialize(record.Reasons, Json),
        DkimResults = record.Dkim.Count == 0 ? null : JsonSerializer.Serialize(record.Dkim, Json),
        SpfResults = record.Spf.Count == 0 ? null : JsonSerializer.Serialize(record.Spf, Json),
    };

    private async Task<DmarcReportRow?> StoredAsync(DmarcReportHeader header, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<DmarcReportRow>().AsNoTracking()
            .Where(r => r.OrgName == header.OrgName && r.ReportId == header.ReportId && r.PolicyDomain == header.PolicyDomain)
            .Select(r => new DmarcReportRow
            {
                Id = r.Id, OrgName = r.OrgName, ReportId = r.ReportId, PolicyDomain = r.PolicyDomain, Origin = r.Origin, Begin = r.Begin, End = r.End,
                Records = r.Records, Messages = r.Messages, DmarcPass = r.DmarcPass, SpfAlignedPass = r.SpfAlignedPass, DkimAlignedPass = r.DkimAlignedPass,
            })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportedReport> DuplicateAsync(DmarcReportHeader header, string origin, DmarcReportRow? stored, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Add(new DmarcReportDuplicateRow
            {
                Kind = ReportKind.DmarcAggregate,
                OrgName = header.OrgName,
                ReportId = header.ReportId,
                PolicyDomain = header.PolicyDomain,
                Origin = Bounded(origin) ?? "",
                At = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var row = stored ?? new DmarcReportRow { OrgName = header.OrgName, ReportId = header.ReportId, PolicyDomain = header.PolicyDomain, Origin = origin, Begin = header.Begin, End = header.End };
        return Summary(ImportStatus.Duplicate, row, $"already stored (from {Bounded(row.Origin)})");
    }

    private static ImportedReport Summary(ImportStatus status, DmarcReportRow row, string? reason) => new(
        status, ReportKind.DmarcAggregate, row.OrgName, row.ReportId, row.PolicyDomain, row.Begin, row.End, row.Records, row.Messages,
        row.DmarcPass, row.SpfAlignedPass, row.DkimAlignedPass, reason);

    private static string? Bounded(string? text) => text is null || text.Length <= ReportLimits.MaxValueLength ? text : text[..ReportLimits.MaxValueLength];

    private readonly record struct DailyKey(DateOnly Day, string SourceIp, string HeaderFrom, string Disposition, bool DkimAligned, bool SpfAligned);
}
