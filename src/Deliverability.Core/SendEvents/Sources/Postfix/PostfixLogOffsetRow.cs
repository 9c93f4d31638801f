using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents.Sources.Postfix;

/// <summary>Where each followed Postfix log was read up to (table <c>postfix_log_offsets</c>), saved after its events are committed.</summary>
public sealed class PostfixLogOffsetRow
{
    public required string Name { get; set; }

    public long Offset { get; set; }

    /// <summary>The file's identity (hash of its first bytes), or the journal cursor.</summary>
    public required string Fingerprint { get; set; }

    public int FingerprintLength { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class PostfixLogOffsetRowConfiguration : IEntityTypeConfiguration<PostfixLogOffsetRow>
{
    public void Configure(EntityTypeBuilder<PostfixLogOffsetRow> e)
    {
        e.ToTable("postfix_log_offsets");
        e.HasKey(r => r.Name);
        e.Property(r => r.Name).HasMaxLength(SendEventRowConfiguration.NameLength);
        e.Property(r => r.Fingerprint).HasMaxLength(1000);
    }
}
