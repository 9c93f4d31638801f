using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents;

/// <summary>A webhook body that could not be read (table <c>send_event_quarantine</c>), kept for an operator to inspect.</summary>
public sealed class SendEventQuarantineRow
{
    /// <summary>The most of a body kept: enough to see what was wrong, never a disk filled by one client.</summary>
    public const int MaxBodyChars = 64 * 1024;

    public long Id { get; set; }

    public required string Source { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Why it was refused, as the 400 answer said.</summary>
    public required string Reason { get; set; }

    /// <summary>The raw body as text, cut at <see cref="MaxBodyChars"/>.</summary>
    public required string Body { get; set; }

    public bool Truncated { get; set; }
}

public sealed class SendEventQuarantineRowConfiguration : IEntityTypeConfiguration<SendEventQuarantineRow>
{
    public void Configure(EntityTypeBuilder<SendEventQuarantineRow> e)
    {
        e.ToTable("send_event_quarantine");
        e.HasIndex(r => r.ReceivedAt);
        e.Property(r => r.Source).HasMaxLength(SendEventRowConfiguration.NameLength);
        e.Property(r => r.Reason).HasMaxLength(1000);
        e.Property(r => r.Body).HasMaxLength(SendEventQuarantineRow.MaxBodyChars);
    }
}
