using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents.Throttling;

/// <summary>How many replies of one minute carried one known throttling code (<see cref="ThrottlingCode.Id"/>), per rollup key. Table <c>send_throttling_rollups</c>.</summary>
public sealed class ThrottlingRollupRow
{
    public long Id { get; set; }

    /// <summary>Minutes since the Unix epoch.</summary>
    public long Minute { get; set; }

    public required string Stream { get; set; }

    public required string Provider { get; set; }

    public required string SendingDomain { get; set; }

    public required string MailboxProvider { get; set; }

    public required string Code { get; set; }

    public long Count { get; set; }
}

internal sealed class ThrottlingRollupRowConfiguration : IEntityTypeConfiguration<ThrottlingRollupRow>
{
    public void Configure(EntityTypeBuilder<ThrottlingRollupRow> builder)
    {
        builder.ToTable("send_throttling_rollups");
        builder.HasIndex(r => new { r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider, r.Code }).IsUnique();
        builder.Property(r => r.Stream).HasMaxLength(100);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.SendingDomain).HasMaxLength(253);
        builder.Property(r => r.MailboxProvider).HasMaxLength(32);
        builder.Property(r => r.Code).HasMaxLength(64);
    }
}
