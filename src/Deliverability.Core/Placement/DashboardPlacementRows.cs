using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Placement;

/// <summary>A seed mailbox added from the dashboard (configured ones live in <c>Monitor:Placement:Seeds</c>).</summary>
public sealed class DashboardSeedRow
{
    /// <summary>The address in lower case: one seed per address.</summary>
    public required string Key { get; set; }

    public string Provider { get; set; } = "";

    public string Address { get; set; } = "";

    public string ImapHost { get; set; } = "";

    public int ImapPort { get; set; }

    public string ImapSecurity { get; set; } = "ssl";

    public string ImapUser { get; set; } = "";

    /// <summary>Encrypted (<c>protected:...</c>), never the plain password.</summary>
    public string ImapPassword { get; set; } = "";

    public string? InboxFolder { get; set; }

    public string? SpamFolder { get; set; }

    /// <summary>Folder names, one per line (a name may hold spaces).</summary>
    public string OtherFolders { get; set; } = "";

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = "";
}

/// <summary>A send path added from the dashboard (configured ones live in <c>Monitor:Placement:SendPaths</c>).</summary>
public sealed class DashboardSendPathRow
{
    /// <summary>The name in lower case: one send path per name.</summary>
    public required string Key { get; set; }

    public string Name { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public string Security { get; set; } = "starttls";

    public string User { get; set; } = "";

    /// <summary>Encrypted (<c>protected:...</c>), never the plain password; empty when there is none.</summary>
    public string Password { get; set; } = "";

    /// <summary>The SMTP MAIL FROM; null or empty for the From address. Nullable: added to existing tables as a new column.</summary>
    public string? EnvelopeSender { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = "";
}

internal sealed class DashboardSeedRowConfiguration : IEntityTypeConfiguration<DashboardSeedRow>
{
    public void Configure(EntityTypeBuilder<DashboardSeedRow> builder)
    {
        builder.ToTable("dashboard_seeds");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(320);
        builder.Property(r => r.Provider).HasMaxLength(100);
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.Property(r => r.ImapHost).HasMaxLength(253);
        builder.Property(r => r.ImapSecurity).HasMaxLength(16);
        builder.Property(r => r.ImapUser).HasMaxLength(320);
        builder.Property(r => r.AddedBy).HasMaxLength(256);
    }
}

internal sealed class DashboardSendPathRowConfiguration : IEntityTypeConfiguration<DashboardSendPathRow>
{
    public void Configure(EntityTypeBuilder<DashboardSendPathRow> builder)
    {
        builder.ToTable("dashboard_send_paths");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(100);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Host).HasMaxLength(253);
        builder.Property(r => r.Security).HasMaxLength(16);
        builder.Property(r => r.User).HasMaxLength(320);
        builder.Property(r => r.EnvelopeSender).HasMaxLength(320);
        builder.Property(r => r.AddedBy).HasMaxLength(256);
    }
}
