using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// One TLS-RPT report (RFC 8460) for one policy domain (<c>tlsrpt_reports</c>), de-duplicated like DMARC reports by the
/// unique (<see cref="OrgName"/>, <see cref="ReportId"/>, <see cref="PolicyDomain"/>).
/// </summary>
public sealed class TlsRptReportRow
{
    public long Id { get; set; }

    public required string OrgName { get; set; }

    public required string ReportId { get; set; }

    public required string PolicyDomain { get; set; }

    public string? ContactInfo { get; set; }

    /// <summary>The report's <c>date-range</c>, in UTC.</summary>
    public DateTimeOffset Begin { get; set; }

    public DateTimeOffset End { get; set; }

    public required string Origin { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public long SuccessfulSessions { get; set; }

    public long FailedSessions { get; set; }

    /// <summary>The report's JSON, gzip-compressed; null when larger than the stored bound.</summary>
    public byte[]? RawGzip { get; set; }
}

/// <summary>One policy of a TLS-RPT report (<c>tlsrpt_policies</c>): its sessions and failures.</summary>
public sealed class TlsRptPolicyRow
{
    public long Id { get; set; }

    public long ReportRowId { get; set; }

    /// <summary><c>sts</c>, <c>tlsa</c> or <c>no-policy-found</c>.</summary>
    public required string PolicyType { get; set; }

    /// <summary>The policy's lines (the MTA-STS policy or TLSA records), newline-separated.</summary>
    public string? PolicyString { get; set; }

    public required string PolicyDomain { get; set; }

    /// <summary>The MX host patterns of an MTA-STS policy, newline-separated.</summary>
    public string? MxHosts { get; set; }

    public long SuccessfulSessions { get; set; }

    public long FailedSessions { get; set; }

    /// <summary>JSON array of <c>{resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp, failedSessions, additionalInformation, failureReasonCode}</c>.</summary>
    public string? FailureDetails { get; set; }
}

internal sealed class TlsRptReportRowConfiguration : IEntityTypeConfiguration<TlsRptReportRow>
{
    public void Configure(EntityTypeBuilder<TlsRptReportRow> e)
    {
        e.ToTable("tlsrpt_reports");
        e.HasIndex(r => new { r.OrgName, r.ReportId, r.PolicyDomain }).IsUnique();
        e.HasIndex(r => new { r.PolicyDomain, r.Begin });
        e.Property(r => r.OrgName).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.ReportId).HasMaxLength(ReportLimits.MaxKeyLength);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.ContactInfo).HasMaxLength(ReportLimits.MaxValueLength);
        e.Property(r => r.Origin).HasMaxLength(ReportLimits.MaxValueLength);
    }
}

internal sealed class TlsRptPolicyRowConfiguration : IEntityTypeConfiguration<TlsRptPolicyRow>
{
    public void Configure(EntityTypeBuilder<TlsRptPolicyRow> e)
    {
        e.ToTable("tlsrpt_policies");
        e.HasIndex(r => r.ReportRowId);
        e.HasOne<TlsRptReportRow>().WithMany().HasForeignKey(r => r.ReportRowId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.PolicyType).HasMaxLength(32);
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
    }
}
