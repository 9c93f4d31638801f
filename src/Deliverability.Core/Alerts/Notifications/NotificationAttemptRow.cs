using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>One delivery attempt to one receiver, kept for the dashboard (bounded by <see cref="DeliveryOptions.AttemptsKept"/>). Holds no secret.</summary>
public sealed class NotificationAttemptRow
{
    public long Id { get; set; }

    public required string Receiver { get; set; }

    /// <summary><c>webhook</c>, <c>slack</c>, <c>pagerduty</c>, <c>teams</c> or <c>email</c>.</summary>
    public required string ReceiverType { get; set; }

    public required string GroupKey { get; set; }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public required string Status { get; set; }

    /// <summary>1 for the first attempt of a notification.</summary>
    public int Attempt { get; set; }

    /// <summary><c>delivered</c>, <c>retrying</c> (another attempt follows) or <c>failed</c> (the last one).</summary>
    public required string Result { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public double DurationMs { get; set; }

    /// <summary>The wait before the next attempt, when one follows.</summary>
    public double? NextDelayMs { get; set; }

    public DateTimeOffset At { get; set; }
}

public sealed class NotificationAttemptRowConfiguration : IEntityTypeConfiguration<NotificationAttemptRow>
{
    public void Configure(EntityTypeBuilder<NotificationAttemptRow> builder)
    {
        builder.ToTable("notification_attempts");
        builder.HasIndex(r => new { r.Receiver, r.Id });
        builder.Property(r => r.Receiver).HasMaxLength(128);
        builder.Property(r => r.ReceiverType).HasMaxLength(16);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.Result).HasMaxLength(16);
        builder.Property(r => r.Error).HasMaxLength(1024);
    }
}
