using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents;

/// <summary>
/// <c>send_events</c>: the unique (Provider, Source, ProviderEventId) makes a provider's retry a no-op; Id where
/// ProcessedAt is null is the processor's queue (a partial index: it holds only the events not yet rolled up, so an
/// insert appends to a small tree and processing removes the entry); RecipientHash finds one person's events for
/// erasure; OccurredAt, the events behind a minute of the rollups (a spike on the Sending page, an alert's critical
/// messages). Every index costs each insert, so expiry needs none (see <see cref="Ingest.SendEventStore"/>).
/// </summary>
public sealed class SendEventRowConfiguration : IEntityTypeConfiguration<SendEventRow>
{
    public const int ProviderLength = 16;
    public const int NameLength = 100;
    public const int EventIdLength = 200;
    public const int DiagnosticLength = 1000;
    public const int MessageIdLength = 998;

    public void Configure(EntityTypeBuilder<SendEventRow> e)
    {
        e.ToTable("send_events");
        e.HasIndex(r => new { r.Provider, r.Source, r.ProviderEventId }).IsUnique();
        e.HasIndex(r => r.Id, "IX_send_events_unprocessed").HasFilter("\"ProcessedAt\" IS NULL");
        e.HasIndex(r => r.RecipientHash);
        e.HasIndex(r => r.OccurredAt);
        e.Property(r => r.Provider).HasMaxLength(ProviderLength);
        e.Property(r => r.Source).HasMaxLength(NameLength);
        e.Property(r => r.ProviderEventId).HasMaxLength(EventIdLength);
        e.Property(r => r.Stream).HasMaxLength(NameLength);
        e.Property(r => r.SendingDomain).HasMaxLength(253);
        e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.RecipientHash).HasMaxLength(320);
        e.Property(r => r.RecipientDomain).HasMaxLength(253);
        e.Property(r => r.MailboxProvider).HasMaxLength(32);
        e.Property(r => r.EnhancedStatus).HasMaxLength(16);
        e.Property(r => r.Diagnostic).HasMaxLength(DiagnosticLength);
        e.Property(r => r.MessageId).HasMaxLength(MessageIdLength);
    }
}
