using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>The records of the reports spread over their UTC days and summed (<c>dmarc_daily</c>).</summary>
public sealed class DmarcDailyRow
{
    public long Id { get; set; }

    public string PolicyDomain { get; set; } = "";

    public DateOnly Day { get; set; }

    public string SourceIp { get; set; } = "";

    public string HeaderFrom { get; set; } = "";

    /// <summary><c>none</c>, <c>quarantine</c> or <c>reject</c>.</summary>
    public string Disposition { get; set; } = "";

    public bool DkimAligned { get; set; }

    public bool SpfAligned { get; set; }

    public long Messages { get; set; }
}

internal sealed class DmarcDailyRowConfiguration : IEntityTypeConfiguration<DmarcDailyRow>
{
    public void Configure(EntityTypeBuilder<DmarcDailyRow> e)
    {
        e.ToTable("dmarc_daily");
        e.HasIndex(r => new { r.PolicyDomain, r.Day, r.SourceIp, r.HeaderFrom, r.Disposition, r.DkimAligned, r.SpfAligned }).IsUnique();
        e.Property(r => r.PolicyDomain).HasMaxLength(253);
        e.Property(r => r.SourceIp).HasMaxLength(45);
        e.Property(r => r.HeaderFrom).HasMaxLength(253);
        e.Property(r => r.Disposition).HasMaxLength(16);
    }
}
