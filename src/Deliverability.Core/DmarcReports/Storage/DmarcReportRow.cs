using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>One stored DMARC aggregate report (<c>dmarc_reports</c>), unique by reporting organisation, report id and policy domain.</summary>
public sealed class DmarcReportRow
{
    public long Id { get; set; }

    public ReportKind Kind { get; set; }

    public string OrgName { get; set; } = "";

    public string ReportId { get; set; } = "";

    public string PolicyDomain { get; set; } = "";

    public DateTimeOffset Begin { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>The published policy <c>p</c> as the receiver saw it.</summary>
    public string? P { get; set; }

    public string? Sp { get; set; }

    public string? Np { get; set; }

    public string? Adkim { get; set; }

    public string? Aspf { get; set; }

    public int? Pct { get; set; }

    public string? Testing { get; set; }

    public string? DiscoveryMethod { get; set; }

    public string? Generator { get; set; }

    public string Origin { get; set; } = "";

    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>The report as received (XML), gzip-compressed.</summary>
    public byte[] RawGzip { get; set; } = [];
}

internal sealed class DmarcReportRowConfiguration : IEntityTypeConfiguration<DmarcReportRow>
{
    public void Configure(EntityTypeBuilder<DmarcReportRow> e)
    {
        e.ToTable("dmarc_reports");
        e.HasIndex(r => new { r.OrgName, r.ReportId, r.PolicyDomain }).IsUnique();
        e.HasIndex(r => new { r.PolicyDomain, r.Begin });
        e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.OrgName).HasMaxLength(256);
        e.Property(r => r.ReportId).HasMaxLength(256);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.Origin).HasMaxLength(512);
    }
}
