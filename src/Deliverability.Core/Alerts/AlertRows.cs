using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts;

/// <summary>The current state of one alert (by fingerprint). A resolved alert keeps its row until retention removes it.</summary>
public sealed class AlertRow
{
    public required string Fingerprint { get; set; }

    public required string AlertName { get; set; }

    public AlertState State { get; set; }

    public string Severity { get; set; } = "";

    public required string LabelsJson { get; set; }

    public required string AnnotationsJson { get; set; }

    /// <summary>When the rule's condition started to hold.</summary>
    public DateTimeOffset ActiveSince { get; set; }

    /// <summary>When the alert last started firing; null while it has never fired (pending, or pending then gone).</summary>
    public DateTimeOffset? StartsAt { get; set; }

    /// <summary>When it was resolved; null while pending or firing.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? AcknowledgedBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>Why it is muted now (<c>silence:ID</c>, <c>maintenance:NAME</c>, <c>inhibited</c>); null when not.</summary>
    public string? MutedBy { get; set; }
}

/// <summary>One change of an alert: of state, or an acknowledgement, or a silence that starts or ends.</summary>
public sealed class AlertHistoryRow
{
    public long Id { get; set; }

    public required string Fingerprint { get; set; }

    public required string AlertName { get; set; }

    public AlertState? FromState { get; set; }

    public AlertState ToState { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What happened besides the state (<c>acknowledged by alice</c>, <c>muted by silence:ID</c>).</summary>
    public string? Note { get; set; }
}

/// <summary>A silence: alerts matching all its matchers are not notified from <see cref="StartsAt"/> to <see cref="EndsAt"/>.</summary>
public sealed class SilenceRow
{
    public required string Id { get; set; }

    /// <summary>The matchers as a JSON array of strings (<c>["domain=shop.example","check=~spf|dkim"]</c>).</summary>
    public required string MatchersJson { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public required string CreatedBy { get; set; }

    public required string Comment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One aggregation group of one receiver: its timer and what that receiver was last told (Alertmanager's notification log).</summary>
public sealed class AlertGroupRow
{
    public required string GroupKey { get; set; }

    public required string Receiver { get; set; }

    public required string GroupLabelsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextFlushAt { get; set; }

    /// <summary>When the receiver was last notified; null before the first notification.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>Fingerprints notified as firing in the last notification (JSON array).</summary>
    public string NotifiedFiringJson { get; set; } = "[]";

    /// <summary>Fingerprints notified as resolved in the last notification (JSON array).</summary>
    public string NotifiedResolvedJson { get; set; } = "[]";
}

/// <summary>
/// A notification being sent: written before the receiver is called and removed with the group's log entry once the
/// call ended (delivered or failed), in one transaction. A row found at start was in flight when the service stopped:
/// the receiver may have it already, and what is still due goes out again with the same idempotency key.
/// </summary>
public sealed class AlertDeliveryRow
{
    public required string GroupKey { get; set; }

    public required string Receiver { get; set; }

    public required string IdempotencyKey { get; set; }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset StartedAt { get; set; }
}

internal sealed class AlertRowConfiguration : IEntityTypeConfiguration<AlertRow>
{
    public void Configure(EntityTypeBuilder<AlertRow> e)
    {
        e.ToTable("alerts");
        e.HasKey(r => r.Fingerprint);
        e.Property(r => r.Fingerprint).HasMaxLength(32);
        e.Property(r => r.AlertName).HasMaxLength(128);
        e.Property(r => r.Severity).HasMaxLength(32);
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.AcknowledgedBy).HasMaxLength(200);
        e.Property(r => r.MutedBy).HasMaxLength(200);
        e.HasIndex(r => r.State);
    }
}

internal sealed class AlertHistoryRowConfiguration : IEntityTypeConfiguration<AlertHistoryRow>
{
    public void Configure(EntityTypeBuilder<AlertHistoryRow> e)
    {
        e.ToTable("alert_history");
        e.Property(r => r.Fingerprint).HasMaxLength(32);
        e.Property(r => r.AlertName).HasMaxLength(128);
        e.Property(r => r.FromState).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.ToState).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Note).HasMaxLength(500);
        e.HasIndex(r => new { r.Fingerprint, r.At });
        e.HasIndex(r => r.At);
    }
}

internal sealed class SilenceRowConfiguration : IEntityTypeConfiguration<SilenceRow>
{
    public void Configure(EntityTypeBuilder<SilenceRow> e)
    {
        e.ToTable("alert_silences");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).HasMaxLength(32);
        e.Property(r => r.CreatedBy).HasMaxLength(200);
        e.Property(r => r.Comment).HasMaxLength(2000);
        e.HasIndex(r => r.EndsAt);
    }
}

internal sealed class AlertGroupRowConfiguration : IEntityTypeConfiguration<AlertGroupRow>
{
    public void Configure(EntityTypeBuilder<AlertGroupRow> e)
    {
        e.ToTable("alert_groups");
        e.HasKey(r => new { r.GroupKey, r.Receiver });
        e.Property(r => r.GroupKey).HasMaxLength(400);
        e.Property(r => r.Receiver).HasMaxLength(200);
    }
}

internal sealed class AlertDeliveryRowConfiguration : IEntityTypeConfiguration<AlertDeliveryRow>
{
    public void Configure(EntityTypeBuilder<AlertDeliveryRow> e)
    {
        e.ToTable("alert_deliveries");
        e.HasKey(r => new { r.GroupKey, r.Receiver });
        e.Property(r => r.GroupKey).HasMaxLength(400);
        e.Property(r => r.Receiver).HasMaxLength(200);
        e.Property(r => r.IdempotencyKey).HasMaxLength(64);
        e.Property(r => r.Status).HasMaxLength(16);
    }
}

/// <summary>
/// An index on check_states.checked_at (the audit's table), so that each evaluation reads only the results written
/// since the last one without scanning every row. Added here, beside its only reader; the schema step creates it on
/// an existing database.
/// </summary>
internal sealed class CheckStateCheckedAtIndex : IEntityTypeConfiguration<Storage.CheckStateRow>
{
    public void Configure(EntityTypeBuilder<Storage.CheckStateRow> e) => e.HasIndex(r => r.CheckedAt);
}
