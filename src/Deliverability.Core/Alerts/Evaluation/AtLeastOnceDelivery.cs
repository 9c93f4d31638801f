using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>
/// Delivers due notifications at least once: a delivery record per notification is added to the evaluation's store
/// transaction before anything is sent (<see cref="Record"/>); then the notifications are sent (<see cref="SendAsync"/>);
/// then the groups' notification log and the end of the records are stored together (<see cref="StoreLogAsync"/>). A
/// record found at start was in flight when the service stopped: what is still due goes out again with the same
/// idempotency key (the <c>Idempotency-Key</c> header, PagerDuty's <c>dedup_key</c>, the email's Message-ID).
/// </summary>
internal sealed partial class AtLeastOnceDelivery(
    IDbContextFactory<MonitorDbContext> contexts, IAlertNotificationSender sender, AlertMemory memory, ILogger<AtLeastOnceDelivery> logger)
{
    private const int MaxParallelSends = 8;

    /// <summary>
    /// Adds a delivery record per due notification to <paramref name="db"/>'s next save; a record left from an
    /// interrupted evaluation is replaced by its group's next notification, or dropped with its group.
    /// </summary>
    public void Record(MonitorDbContext db, DateTimeOffset now, IReadOnlyList<DueNotification> due)
    {
        foreach (var flush in due)
        {
            var notification = flush.Notification;
            var key = (notification.GroupKey, notification.Receiver);
            var status = notification.Status == NotificationStatus.Firing ? "firing" : "resolved";
            if (memory.InterruptedDeliveries.Remove(key, out var interrupted))
            {
                if (interrupted.IdempotencyKey == notification.IdempotencyKey)
                {
                    LogResending(notification.Receiver, notification.GroupKey, notification.IdempotencyKey);
                }

                interrupted.IdempotencyKey = notification.IdempotencyKey;
                interrupted.Status = status;
                interrupted.StartedAt = now;
                db.Update(interrupted);
                memory.DeliveriesInFlight.Add(interrupted);
                continue;
            }

            var row = new AlertDeliveryRow { GroupKey = notification.GroupKey, Receiver = notification.Receiver, IdempotencyKey = notification.IdempotencyKey, Status = status, StartedAt = now };
            db.Add(row);
            memory.DeliveriesInFlight.Add(row);
        }

        foreach (var (key, row) in memory.InterruptedDeliveries.Where(d => !memory.Groups.ContainsKey(d.Key)).ToArray())
        {
            db.Remove(row);
            memory.InterruptedDeliveries.Remove(key);
        }
    }

    /// <summary>Sends the due notifications, a few at a time; a delivered one becomes its group's log entry. Returns how many failed.</summary>
    public async Task<int> SendAsync(IReadOnlyList<DueNotification> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelSends, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (flush, ct) =>
        {
            NotificationOutcome outcome;
            try
            {
                outcome = await sender.SendAsync(flush.Notification, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outcome = new NotificationOutcome(flush.Notification.Receiver, false, 1, ex.GetType().Name);
            }

            if (!outcome.Delivered)
            {
                // The log stays as it was: the same change is notified again at the group's next interval.
                Interlocked.Increment(ref failed);
                LogNotDelivered(flush.Notification.Receiver, flush.Notification.GroupKey, outcome.Attempts, outcome.Error ?? "");
                return;
            }

            lock (flush.Group)
            {
                flush.Group.Row.NotifiedAt = now;
                flush.Group.NotifiedFiring = flush.Firing;
                flush.Group.NotifiedResolved = flush.Resolved;
                flush.Group.SaveLog();
            }
        }).ConfigureAwait(false);

        return failed;
    }

    /// <summary>Stores the groups' timers and notification log, the groups dropped, and the end of the calls (their records removed) in one transaction.</summary>
    public async Task StoreLogAsync(CancellationToken cancellationToken)
    {
        var changed = memory.Groups.Values.Where(g => g.Dirty).ToArray();
        if (changed.Length == 0 && memory.ForgottenGroups.Count == 0 && memory.DeliveriesInFlight.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in changed)
        {
            if (group.IsNew)
            {
                db.Add(group.Row);
            }
            else
            {
                db.Update(group.Row);
            }
        }

        db.RemoveRange(memory.ForgottenGroups);
        // The calls ended (delivered or not): their records go in the same transaction as the log that says so.
        db.RemoveRange(memory.DeliveriesInFlight);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        memory.DeliveriesInFlight.Clear();
        foreach (var group in changed)
        {
            group.IsNew = false;
            group.Dirty = false;
        }

        memory.ForgottenGroups.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending again the alert notification to {Receiver} for group {GroupKey} that was interrupted, with the same idempotency key {IdempotencyKey}")]
    private partial void LogResending(string receiver, string groupKey, string idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert notification to {Receiver} for group {GroupKey} not delivered after {Attempts} attempts ({Error}); retried at the group's next interval")]
    private partial void LogNotDelivered(string receiver, string groupKey, int attempts, string error);
}
