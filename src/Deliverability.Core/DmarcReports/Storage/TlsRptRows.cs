using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>One stored TLS-RPT report (<c>tlsrpt_reports</c>).</summary>
public sealed class TlsRptReportRow
{
    public long Id { get; set; }

    public string OrgName { get; set; } = "";

    public string ReportId { get; set; } = "";

    public string PolicyDomain { get; set; } = "";

    public DateTimeOffset Begin { get; set; }

    public DateTimeOffset End { get; set; }

    public string Origin { get; set; } = "";

    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>One policy of a TLS-RPT report with its session counts (<c>tlsrpt_policies</c>).</summary>
public sealed class TlsRptPolicyRow
{
    public long Id { get; set; }

    public long ReportRowId { get; set; }

    public string PolicyType { get; set; } = "";

    public string? PolicyString { get; set; }

    public string? MxHosts { get; set; }

    public long SuccessfulSessions { get; set; }

    public long FailedSessions { get; set; }

    public string? FailureDetailsJson { get; set; }
}

internal sealed class TlsRptReportRowConfiguration : IEntityTypeConfiguration<TlsRptReportRow>
{
    public void Configure(EntityTypeBuilder<TlsRptReportRow> e)
    {
        e.ToTable("tlsrpt_reports");
        e.HasIndex(r => new { r.OrgName, r.ReportId, r.PolicyDomain }).IsUnique();
        e.Property(r => r.OrgName).HasMaxLength(256);
        e.Property(r => r.ReportId).HasMaxLength(256);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.Origin).HasMaxLength(512);
    }
}

internal sealed class TlsRptPolicyRowConfiguration : IEntityTypeConfiguration<TlsRptPolicyRow>
{
    public void Configure(EntityTypeBuilder<TlsRptPolicyRow> e)
    {
        e.ToTable("tlsrpt_policies");
        e.HasIndex(r => r.ReportRowId);
        e.Property(r => r.PolicyType).HasMaxLength(32);
    }
}
