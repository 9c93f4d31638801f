using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>
/// Delivery is at least once, with an idempotency key: a notification the service was sending when it died is sent once
/// more after the restart with the same key, so a receiver that keeps keys sees it once; the next notification has a new key.
/// </summary>
public sealed class AlertDeliveryGuaranteeTests
{
    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public async Task A_notification_interrupted_by_a_crash_is_sent_once_more_after_the_restart_with_the_same_idempotency_key()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error));
        await t.EvaluateAsync();
        t.Sender.CrashAfterSend = true;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.RunUntilAsync(M(1)));

        // What a kill -9 during the call leaves: the delivery record, started and never finished.
        var sent = Assert.Single(t.Sender.Sent).Notification;
        Assert.Equal(sent.IdempotencyKey, Assert.Single(await DeliveriesAsync(t)).IdempotencyKey);

        t.Sender.CrashAfterSend = false;
        t.Restart();
        await t.RunUntilAsync(M(30));

        Assert.Equal(2, t.Sender.Sent.Count);
        Assert.Equal(sent.IdempotencyKey, t.Sender.Sent[1].Notification.IdempotencyKey);
        Assert.Equal(sent.Alerts.Select(a => a.Fingerprint), t.Sender.Sent[1].Notification.Alerts.Select(a => a.Fingerprint));
        Assert.Empty(await DeliveriesAsync(t));
        Assert.Single(t.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"(idempotency key {sent.IdempotencyKey}) was being sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeat_and_a_resolve_are_new_notifications_with_new_keys()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Route.RepeatInterval = TimeSpan.FromHours(1));
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(61));
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Ok));
        await t.RunUntilAsync(M(70));

        Assert.Equal([NotificationStatus.Firing, NotificationStatus.Firing, NotificationStatus.Resolved], t.Sender.Sent.Select(s => s.Notification.Status));
        Assert.Equal(3, t.Sender.Sent.Select(s => s.Notification.IdempotencyKey).Distinct().Count());
        Assert.Empty(await DeliveriesAsync(t));
    }

    private static async Task<List<AlertDeliveryRow>> DeliveriesAsync(AlertTimeline t)
    {
        await using var db = await t.Contexts.CreateDbContextAsync();
        return await db.Set<AlertDeliveryRow>().AsNoTracking().ToListAsync();
    }
}
