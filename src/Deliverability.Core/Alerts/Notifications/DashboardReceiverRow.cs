using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// An alert receiver added from the dashboard (configured ones live in <c>Monitor:Alerts:Receivers</c>). The URL, the
/// routing key and the SMTP password are stored encrypted (<c>protected:...</c>).
/// </summary>
public sealed class DashboardReceiverRow
{
    /// <summary>The name in lower case: one receiver per name.</summary>
    public required string Key { get; set; }

    public string Name { get; set; } = "";

    public string Type { get; set; } = "";

    public string Url { get; set; } = "";

    public string RoutingKey { get; set; } = "";

    public string EmailHost { get; set; } = "";

    public int EmailPort { get; set; } = 587;

    public string EmailSecurity { get; set; } = "StartTls";

    public string EmailUser { get; set; } = "";

    public string EmailPassword { get; set; } = "";

    public string EmailFrom { get; set; } = "";

    /// <summary>Addresses separated by spaces.</summary>
    public string EmailTo { get; set; } = "";

    public bool SendResolved { get; set; } = true;

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = "";
}

internal sealed class DashboardReceiverRowConfiguration : IEntityTypeConfiguration<DashboardReceiverRow>
{
    public void Configure(EntityTypeBuilder<DashboardReceiverRow> builder)
    {
        builder.ToTable("dashboard_receivers");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(100);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Type).HasMaxLength(16);
        builder.Property(r => r.EmailHost).HasMaxLength(253);
        builder.Property(r => r.EmailSecurity).HasMaxLength(32);
        builder.Property(r => r.EmailUser).HasMaxLength(320);
        builder.Property(r => r.EmailFrom).HasMaxLength(320);
        builder.Property(r => r.AddedBy).HasMaxLength(256);
    }
}
