using Microsoft.Extensions.Logging;
using Monitor.Core.Storage;

namespace Monitor.Core.Alerts;

public sealed partial class AlertEngine
{
    /// <summary>One due notification: the group, what it tells, and the log entry it leaves when delivered.</summary>
    private sealed record Flush(LiveGroup Group, AlertGroupNotification Notification, HashSet<string> Firing, HashSet<string> Resolved);

    /// <summary>
    /// Puts every firing (and every resolved, once fired) alert into its groups, starts the timer of a new group
    /// (group_wait), and for each group that is due decides, as Alertmanager's notification log does, whether its
    /// receiver must hear about it: a new firing alert, all resolved, a resolve (when sent), or the repeat interval.
    /// </summary>
    private List<Flush> PlanFlushes(DateTimeOffset now)
    {
        var members = new Dictionary<(string, string), (AlertRoute Route, List<LiveAlert> Alerts)>();
        foreach (var alert in _alerts.Values)
        {
            if (alert.Row.State == AlertState.Pending || !alert.HasFired)
            {
                continue;
            }

            alert.Routes ??= _route.Match(alert.Labels).Select(r =>
            {
                var labels = r.GroupLabels(alert.Labels);
                return (r, r.GroupKey(labels), (IReadOnlyDictionary<string, string>)labels);
            }).ToArray();
            foreach (var (route, groupKey, groupLabels) in alert.Routes)
            {
                foreach (var receiver in ReceiversOf(route))
                {
                    var key = (groupKey, receiver);
                    if (!_groups.ContainsKey(key))
                    {
                        if (alert.Row.State != AlertState.Firing)
                        {
                            continue; // a resolve for a group nobody was told about
                        }

                        _groups[key] = new LiveGroup(new AlertGroupRow
                        {
                            GroupKey = groupKey,
                            Receiver = receiver,
                            GroupLabelsJson = AlertJson.Write(groupLabels),
                            CreatedAt = now,
                            NextFlushAt = now + route.GroupWait,
                        })
                        { IsNew = true };
                    }

                    if (!members.TryGetValue(key, out var entry))
                    {
                        entry = (route, []);
                        members[key] = entry;
                    }

                    entry.Alerts.Add(alert);
                }
            }
        }

        var flushes = new List<Flush>();
        foreach (var (key, group) in _groups.ToArray())
        {
            if (now < group.Row.NextFlushAt)
            {
                continue;
            }

            // An emptied group lives until its next flush, so an alert that comes back (flapping) waits for the
            // group's interval instead of starting a new group with a short group_wait.
            var (route, alerts) = members.TryGetValue(key, out var entry) ? entry : (null, []);
            if (!alerts.Any(a => a.Row.State == AlertState.Firing) && group.NotifiedFiring.Count == 0)
            {
                Forget(key, group);
                continue;
            }

            group.Row.NextFlushAt = now + (route?.GroupInterval ?? _route.GroupInterval);
            group.Dirty = true;
            if (Decide(group, route ?? _route, alerts, now) is { } flush)
            {
                flushes.Add(flush);
            }
        }

        return flushes;
    }

    private Flush? Decide(LiveGroup group, AlertRoute route, List<LiveAlert> alerts, DateTimeOffset now)
    {
        var firing = alerts.Where(a => a.Row.State == AlertState.Firing && a.Row.MutedBy is null).ToList();
        var resolved = alerts.Where(a => a.Row.State == AlertState.Resolved && a.Row.MutedBy is null && group.NotifiedFiring.Contains(a.Row.Fingerprint)).ToList();
        var firingSet = firing.Select(a => a.Row.Fingerprint).ToHashSet(StringComparer.Ordinal);
        bool needed;
        if (group.Row.NotifiedAt is null && group.NotifiedFiring.Count == 0)
        {
            needed = firing.Count > 0;
        }
        else if (!firingSet.IsSubsetOf(group.NotifiedFiring))
        {
            needed = true; // a new firing alert
        }
        else if (firing.Count == 0)
        {
            needed = group.NotifiedFiring.Count > 0; // all resolved (or muted)
        }
        else if (resolved.Count > 0)
        {
            needed = true; // some resolved
        }
        else
        {
            // Nothing changed: repeat, unless a person already acknowledged every firing alert.
            needed = now - group.Row.NotifiedAt >= route.RepeatInterval && firing.Any(a => a.Row.AcknowledgedBy is null);
        }

        if (!needed)
        {
            return null;
        }

        var sent = route.SendResolved ? firing.Concat(resolved).ToList() : firing;
        if (sent.Count == 0)
        {
            // Nothing to tell (resolves not sent, or the rest is muted): forget what resolved, keep what is muted so
            // that its resolve still goes out after the silence.
            foreach (var alert in resolved)
            {
                group.NotifiedFiring.Remove(alert.Row.Fingerprint);
            }

            group.SaveLog();
            return null;
        }

        var status = firing.Count > 0 ? NotificationStatus.Firing : NotificationStatus.Resolved;
        var notified = sent.Select(Notified).ToArray();
        var notification = new AlertGroupNotification(group.Row.Receiver, group.Row.GroupKey, status, group.GroupLabels, notified, _options.ExternalUrl)
        {
            // The log's last notification time makes a repeat a new notification and a resend (same log) the same one.
            IdempotencyKey = NotificationKeys.Of(group.Row.Receiver, group.Row.GroupKey, status, group.Row.NotifiedAt, notified.Select(a => (a.Fingerprint, a.Status))),
        };
        return new Flush(group, notification, firingSet, resolved.Select(a => a.Row.Fingerprint).ToHashSet(StringComparer.Ordinal));
    }

    private NotifiedAlert Notified(LiveAlert alert) => new(
        alert.Row.Fingerprint,
        alert.Row.State == AlertState.Firing ? NotificationStatus.Firing : NotificationStatus.Resolved,
        alert.Labels,
        alert.Annotations,
        alert.Row.StartsAt ?? alert.Row.ActiveSince,
        alert.Row.State == AlertState.Firing ? null : alert.Row.EndsAt,
        alert.Annotations.GetValueOrDefault(AlertLabels.DashboardUrl));

    private IEnumerable<string> ReceiversOf(AlertRoute route) => route.Receivers.Count > 0 ? route.Receivers : _sender.Receivers;

    private void Forget((string, string) key, LiveGroup group)
    {
        _groups.Remove(key);
        if (!group.IsNew)
        {
            _forgotten.Add(group.Row);
        }
    }

    private readonly List<AlertGroupRow> _forgotten = [];

    /// <summary>
    /// Adds a delivery record per due notification to the evaluation's store transaction, before anything is sent; a
    /// record left from an interrupted evaluation is replaced by its group's next notification, or dropped with its group.
    /// </summary>
    private void RecordDeliveries(MonitorDbContext db, DateTimeOffset now, List<Flush> flushes)
    {
        foreach (var flush in flushes)
        {
            var notification = flush.Notification;
            var key = (notification.GroupKey, notification.Receiver);
            var status = notification.Status == NotificationStatus.Firing ? "firing" : "resolved";
            if (_interruptedDeliveries.Remove(key, out var interrupted))
            {
                if (interrupted.IdempotencyKey == notification.IdempotencyKey)
                {
                    LogResending(notification.Receiver, notification.GroupKey, notification.IdempotencyKey);
                }

                interrupted.IdempotencyKey = notification.IdempotencyKey;
                interrupted.Status = status;
                interrupted.StartedAt = now;
                db.Update(interrupted);
                _deliveriesInFlight.Add(interrupted);
                continue;
            }

            var row = new AlertDeliveryRow { GroupKey = notification.GroupKey, Receiver = notification.Receiver, IdempotencyKey = notification.IdempotencyKey, Status = status, StartedAt = now };
            db.Add(row);
            _deliveriesInFlight.Add(row);
        }

        foreach (var (key, row) in _interruptedDeliveries.Where(d => !_groups.ContainsKey(d.Key)).ToArray())
        {
            db.Remove(row);
            _interruptedDeliveries.Remove(key);
        }
    }

    /// <summary>Sends the due notifications, a few at a time; a delivered one becomes the group's log entry. Returns how many failed.</summary>
    private async Task<int> SendAsync(List<Flush> flushes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelSends, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(flushes, parallel, async (flush, ct) =>
        {
            NotificationOutcome outcome;
            try
            {
                outcome = await _sender.SendAsync(flush.Notification, ct).ConfigureAwait(false);
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

    private async Task SaveGroupsAsync(CancellationToken cancellationToken)
    {
        var changed = _groups.Values.Where(g => g.Dirty).ToArray();
        if (changed.Length == 0 && _forgotten.Count == 0 && _deliveriesInFlight.Count == 0)
        {
            return;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
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

        db.RemoveRange(_forgotten);
        // The calls ended (delivered or not): their records go in the same transaction as the log that says so.
        db.RemoveRange(_deliveriesInFlight);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        _deliveriesInFlight.Clear();
        foreach (var group in changed)
        {
            group.IsNew = false;
            group.Dirty = false;
        }

        _forgotten.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert notification to {Receiver} for group {GroupKey} (idempotency key {IdempotencyKey}) was being sent at {StartedAt} when an evaluation was interrupted (the service stopped or failed); the receiver may have it. If it is still due, it is sent again with the same idempotency key")]
    private partial void LogDeliveryInterrupted(string receiver, string groupKey, string idempotencyKey, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending again the alert notification to {Receiver} for group {GroupKey} that was interrupted, with the same idempotency key {IdempotencyKey}")]
    private partial void LogResending(string receiver, string groupKey, string idempotencyKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert notification to {Receiver} for group {GroupKey} not delivered after {Attempts} attempts ({Error}); retried at the group's next interval")]
    private partial void LogNotDelivered(string receiver, string groupKey, int attempts, string error);
}
