using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// One DMARC aggregate report (<c>dmarc_reports</c>). The unique index on (<see cref="OrgName"/>, <see cref="ReportId"/>,
/// <see cref="PolicyDomain"/>) is the de-duplication: a second delivery, on any node, after any restart, fails the insert.
/// </summary>
public sealed class DmarcReportRow
{
    public long Id { get; set; }

    /// <summary><see cref="ReportKind.DmarcAggregate"/> (TLS-RPT reports live in <c>tlsrpt_reports</c>).</summary>
    public ReportKind Kind { get; set; } = ReportKind.DmarcAggregate;

    public required string OrgName { get; set; }

    public required string ReportId { get; set; }

    /// <summary>The published policy's domain, lower case, without a trailing dot.</summary>
    public required string PolicyDomain { get; set; }

    public string? ReporterEmail { get; set; }

    /// <summary>The interval the report covers, in UTC (Unix seconds of the report, never a local time).</summary>
    public DateTimeOffset Begin { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary><c>dmarc-2.0</c> (RFC 9990 namespace), <c>none</c>, or the namespace the report declared.</summary>
    public string? Schema { get; set; }

    public string? PolicyP { get; set; }

    public string? PolicySp { get; set; }

    public string? PolicyNp { get; set; }

    public string? Adkim { get; set; }

    public string? Aspf { get; set; }

    /// <summary>RFC 7489 <c>pct</c>; RFC 9990 dropped it for <see cref="Testing"/>.</summary>
    public int? Pct { get; set; }

    /// <summary>RFC 9990 <c>testing</c> (<c>y</c> or <c>n</c>).</summary>
    public string? Testing { get; set; }

    /// <summary>RFC 9990 <c>discovery_method</c> (<c>psl</c> or <c>treewalk</c>).</summary>
    public string? DiscoveryMethod { get; set; }

    public string? Fo { get; set; }

    /// <summary>RFC 9990 <c>generator</c>: the software that wrote the report.</summary>
    public string? Generator { get; set; }

    /// <summary>The receiver's <c>error</c> elements, one per line.</summary>
    public string? Errors { get; set; }

    /// <summary>Where the report came from (a file path, a mailbox and message id, an upload).</summary>
    public required string Origin { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public int Records { get; set; }

    public long Messages { get; set; }

    public long DmarcPass { get; set; }

    public long SpfAlignedPass { get; set; }

    public long DkimAlignedPass { get; set; }

    /// <summary>The report's XML, gzip-compressed; null when it was larger than the stored bound (<see cref="RawTruncated"/>).</summary>
    public byte[]? RawGzip { get; set; }

    public bool RawTruncated { get; set; }
}

/// <summary>One record of a report (<c>dmarc_records</c>): what a receiver saw from one source IP and identifiers.</summary>
public sealed class DmarcRecordRow
{
    public long Id { get; set; }

    public long ReportRowId { get; set; }

    public required string SourceIp { get; set; }

    public long Count { get; set; }

    /// <summary><c>none</c>, <c>quarantine</c> or <c>reject</c> (lower case whatever the receiver wrote).</summary>
    public string? Disposition { get; set; }

    /// <summary>The DMARC-aligned DKIM verdict of the receiver: <c>pass</c> or <c>fail</c>.</summary>
    public string? DkimEvaluated { get; set; }

    /// <summary>The DMARC-aligned SPF verdict of the receiver: <c>pass</c> or <c>fail</c>.</summary>
    public string? SpfEvaluated { get; set; }

    public string? HeaderFrom { get; set; }

    public string? EnvelopeFrom { get; set; }

    public string? EnvelopeTo { get; set; }

    /// <summary>JSON array of <c>{type, comment}</c> (policy overrides: forwarded, sampled_out, local_policy, ...).</summary>
    public string? OverrideReasons { get; set; }

    /// <summary>JSON array of <c>{domain, selector, result, humanResult}</c>.</summary>
    public string? DkimResults { get; set; }

    /// <summary>JSON array of <c>{domain, scope, result, humanResult}</c>.</summary>
    public string? SpfResults { get; set; }
}

/// <summary>
/// A report's records spread over the UTC days its interval covers (<c>dmarc_daily</c>): messages per key and day.
/// A row belongs to one report (<see cref="ReportRowId"/>); sum <see cref="Messages"/> over rows of the same key for a
/// day's total across reports and receivers.
/// </summary>
public sealed class DmarcDailyRow
{
    public long Id { get; set; }

    public long ReportRowId { get; set; }

    public required string PolicyDomain { get; set; }

    /// <summary>The UTC day.</summary>
    public DateOnly Day { get; set; }

    public required string SourceIp { get; set; }

    public string HeaderFrom { get; set; } = "";

    public string Disposition { get; set; } = "";

    /// <summary>The receiver's policy_evaluated DKIM verdict was pass (DKIM aligned).</summary>
    public bool DkimAligned { get; set; }

    /// <summary>The receiver's policy_evaluated SPF verdict was pass (SPF aligned).</summary>
    public bool SpfAligned { get; set; }

    public long Messages { get; set; }
}

/// <summary>One delivery of a report already stored (<c>dmarc_report_duplicates</c>): counted and shown, not stored again.</summary>
public sealed class DmarcReportDuplicateRow
{
    public long Id { get; set; }

    public ReportKind Kind { get; set; }

    public required string OrgName { get; set; }

    public required string ReportId { get; set; }

    public required string PolicyDomain { get; set; }

    public required string Origin { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class DmarcReportRowConfiguration : IEntityTypeConfiguration<DmarcReportRow>
{
    public void Configure(EntityTypeBuilder<DmarcReportRow> e)
    {
        e.ToTable("dmarc_reports");
        e.HasIndex(r => new { r.OrgName, r.ReportId, r.PolicyDomain }).IsUnique();
        e.HasIndex(r => new { r.PolicyDomain, r.Begin });
        e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.OrgName).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.ReportId).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.ReporterEmail).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.Schema).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.Generator).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.Origin).HasMaxLength(ReportLimits.MaxValueLength);
        foreach (var word in new[] { nameof(DmarcReportRow.PolicyP), nameof(DmarcReportRow.PolicySp), nameof(DmarcReportRow.PolicyNp), nameof(DmarcReportRow.Adkim),
            nameof(DmarcReportRow.Aspf), nameof(DmarcReportRow.Testing), nameof(DmarcReportRow.DiscoveryMethod), nameof(DmarcReportRow.Fo) })
        {
            e.Property(word).HasMaxLength(64);
        }
    }
}

internal sealed class DmarcRecordRowConfiguration : IEntityTypeConfiguration<DmarcRecordRow>
{
    public void Configure(EntityTypeBuilder<DmarcRecordRow> e)
    {
        e.ToTable("dmarc_records");
        e.HasIndex(r => r.ReportRowId);
        e.HasOne<DmarcReportRow>().WithMany().HasForeignKey(r => r.ReportRowId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.SourceIp).HasMaxLength(45);
        e.Property(r => r.Disposition).HasMaxLength(64);
        e.Property(r => r.DkimEvaluated).HasMaxLength(64);
        e.Property(r => r.SpfEvaluated).HasMaxLength(64);
        e.Property(r => r.HeaderFrom).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.EnvelopeFrom).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.EnvelopeTo).HasMaxLength(ReportLimits.MaxValueLength);
    }
}

internal sealed class DmarcDailyRowConfiguration : IEntityTypeConfiguration<DmarcDailyRow>
{
    public void Configure(EntityTypeBuilder<DmarcDailyRow> e)
    {
        e.ToTable("dmarc_daily");
        e.HasIndex(r => new { r.PolicyDomain, r.Day });
        e.HasIndex(r => r.ReportRowId);
        e.HasOne<DmarcReportRow>().WithMany().HasForeignKey(r => r.ReportRowId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.SourceIp).HasMaxLength(45);
        e.Property(r => r.HeaderFrom).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.Disposition).HasMaxLength(64);
    }
}

internal sealed class DmarcReportDuplicateRowConfiguration : IEntityTypeConfiguration<DmarcReportDuplicateRow>
{
    public void Configure(EntityTypeBuilder<DmarcReportDuplicateRow> e)
    {
        e.ToTable("dmarc_report_duplicates");
        e.HasIndex(r => new { r.OrgName, r.ReportId, r.PolicyDomain });
        e.HasIndex(r => r.At);
        e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.OrgName).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.ReportId).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.Origin).HasMaxLength(ReportLimits.MaxValueLength);
    }
}
