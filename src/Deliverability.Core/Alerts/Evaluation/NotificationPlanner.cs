using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>One due notification: its group, what it tells, and the log entry it leaves when delivered.</summary>
internal sealed record DueNotification(LiveGroup Group, AlertGroupNotification Notification, HashSet<string> Firing, HashSet<string> Resolved);

/// <summary>
/// Puts every firing (and every resolved, once fired) alert into its groups, starts the timer of a new group
/// (group_wait), and for each group that is due decides, as Alertmanager's notification log does, whether its
/// receiver must hear about it: a new firing alert, all resolved, a resolve (when sent), or the repeat interval.
/// </summary>
internal sealed class NotificationPlanner
{
    private readonly AlertMemory _memory;
    private readonly IAlertNotificationSender _sender;
    private readonly AlertRoute _route;
    private readonly string? _externalUrl;

    public NotificationPlanner(IOptions<AlertOptions> options, IAlertNotificationSender sender, AlertMemory memory)
    {
        _memory = memory;
        _sender = sender;
        _route = AlertRoute.Build(options.Value.Route);
        _externalUrl = options.Value.ExternalUrl;
    }

    public List<DueNotification> Plan(DateTimeOffset now)
    {
        var members = GroupMembers(now);
        var due = new List<DueNotification>();
        foreach (var (key, group) in _memory.Groups.ToArray())
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
            if (Decide(group, route ?? _route, alerts, now) is { } notification)
            {
                due.Add(notification);
            }
        }

        return due;
    }

    /// <summary>Adds the groups started by this evaluation to its store transaction, so that a restart keeps their group_wait.</summary>
    public void AddNewGroupsTo(MonitorDbContext db)
    {
        foreach (var group in _memory.Groups.Values.Where(g => g.IsNew))
        {
            db.Add(group.Row);
            group.IsNew = false;
            group.Dirty = false;
        }
    }

    /// <summary>The alerts of each group (starting the groups of new firing alerts), with the route that made the group.</summary>
    private Dictionary<(string, string), (AlertRoute Route, List<LiveAlert> Alerts)> GroupMembers(DateTimeOffset now)
    {
        var members = new Dictionary<(string, string), (AlertRoute Route, List<LiveAlert> Alerts)>();
        foreach (var alert in _memory.Alerts.Values)
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
                    if (!_memory.Groups.ContainsKey(key))
                    {
                        if (alert.Row.State != AlertState.Firing)
                        {
                            continue; // a resolve for a group nobody was told about
                        }

                        _memory.Groups[key] = new LiveGroup(new AlertGroupRow
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

        return members;
    }

    private DueNotification? Decide(LiveGroup group, AlertRoute route, List<LiveAlert> alerts, DateTimeOffset now)
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
        var notification = new AlertGroupNotification(group.Row.Receiver, group.Row.GroupKey, status, group.GroupLabels, notified, _externalUrl)
        {
            // The log's last notification time makes a repeat a new notification and a resend (same log) the same one.
            IdempotencyKey = NotificationKeys.Of(group.Row.Receiver, group.Row.GroupKey, status, group.Row.NotifiedAt, notified.Select(a => (a.Fingerprint, a.Status))),
        };
        return new DueNotification(group, notification, firingSet, resolved.Select(a => a.Row.Fingerprint).ToHashSet(StringComparer.Ordinal));
    }

    private static NotifiedAlert Notified(LiveAlert alert) => new(
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
        _memory.Groups.Remove(key);
        if (!group.IsNew)
        {
            _memory.ForgottenGroups.Add(group.Row);
        }
    }
}
