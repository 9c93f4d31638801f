using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Monitoring;

/// <summary>A domain added from the dashboard (configured domains live in <c>Monitor:Domains</c>).</summary>
public sealed class AddedDomainRow
{
    public required string Name { get; set; }

    /// <summary>Selectors separated by spaces.</summary>
    public string DkimSelectors { get; set; } = "";

    /// <summary>Addresses separated by spaces.</summary>
    public string SendingIps { get; set; } = "";

    public string? ReturnPathDomain { get; set; }

    public string? DkimSigningDomain { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = "";

    public MonitoredDomain ToMonitoredDomain() => new()
    {
        Name = Name,
        DkimSelectors = Split(DkimSelectors),
        SendingIps = Split(SendingIps),
        ReturnPathDomain = ReturnPathDomain,
        DkimSigningDomain = DkimSigningDomain,
    };

    private static List<string> Split(string list) => [.. list.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}

internal sealed class AddedDomainRowConfiguration : IEntityTypeConfiguration<AddedDomainRow>
{
    public void Configure(EntityTypeBuilder<AddedDomainRow> builder)
    {
        builder.ToTable("added_domains");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(253);
        builder.Property(r => r.ReturnPathDomain).HasMaxLength(253);
        builder.Property(r => r.DkimSigningDomain).HasMaxLength(253);
        builder.Property(r => r.AddedBy).HasMaxLength(256);
    }
}
