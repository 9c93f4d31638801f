using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// One minute of one (stream, provider, sending domain, mailbox provider): the events of each kind and the delivery
/// latency histogram (<see cref="LatencyBuckets"/>), as <see cref="SendTotals"/> keeps them. Table <c>send_rollups</c>;
/// holds no personal data, so erasing a recipient's events leaves it as it is.
/// </summary>
public sealed class SendRollupRow : SendTotals
{
    public long Id { get; set; }

    /// <summary>Minutes since the Unix epoch (<see cref="SendMinute"/>) of the events' time.</summary>
    public long Minute { get; set; }

    public required string Stream { get; set; }

    public required string Provider { get; set; }

    /// <summary>Empty when the events did not say.</summary>
    public required string SendingDomain { get; set; }

    public required string MailboxProvider { get; set; }
}

internal sealed class SendRollupRowConfiguration : IEntityTypeConfiguration<SendRollupRow>
{
    public void Configure(EntityTypeBuilder<SendRollupRow> builder)
    {
        builder.ToTable("send_rollups");
        builder.HasIndex(r => new { r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider }).IsUnique();
        builder.Property(r => r.Stream).HasMaxLength(100);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.SendingDomain).HasMaxLength(253);
        builder.Property(r => r.MailboxProvider).HasMaxLength(32);
    }
}
