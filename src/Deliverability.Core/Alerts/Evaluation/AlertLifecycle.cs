using Deliverability.Core.Alerts.Rules;
using Deliverability.Core.SendEvents.Alerts;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>
/// Moves each alert through pending, firing and resolved from the conditions the rules found: a new condition is a new
/// incident (pending, or firing at once when its <c>for</c> has passed); a condition gone resolves its alert, unless
/// its rule or its signal source failed (no evidence that it healed).
/// </summary>
internal sealed class AlertLifecycle(AlertMemory memory)
{
    public void Apply(RuleOutcome rules, bool signalsComplete, DateTimeOffset now, AlertChanges changes)
    {
        foreach (var condition in rules.Conditions.Values)
        {
            Hold(condition, now, changes);
        }

        foreach (var alert in memory.Alerts.Values)
        {
            if (alert.Row.State is AlertState.Pending or AlertState.Firing && !rules.Conditions.ContainsKey(alert.Row.Fingerprint))
            {
                if (!signalsComplete && alert.Row.AlertName is BlacklistRule.Name or InboxRateRule.Name or CapacityRule.Name
                    or SendVolumeRule.Name or CriticalMessageRule.Name or SendLatencyRule.Name or SendRateRule.Name or ThrottlingRule.Name)
                {
                    continue; // a source failed: no evidence that its conditions healed
                }

                if (rules.FailedRules.Contains(alert.Row.AlertName))
                {
                    continue; // its rule failed: no evidence either
                }

                alert.Row.EndsAt = now;
                Move(alert, AlertState.Resolved, now, changes);
            }
        }
    }

    private void Hold(AlertCondition condition, DateTimeOffset now, AlertChanges changes)
    {
        if (memory.Alerts.TryGetValue(condition.Fingerprint, out var alert) && alert.Row.State is AlertState.Pending or AlertState.Firing)
        {
            if (!SameMap(alert.Annotations, condition.Annotations))
            {
                alert.Annotations = condition.Annotations;
                alert.Row.AnnotationsJson = AlertJson.Write(condition.Annotations);
                alert.Row.UpdatedAt = now;
                changes.Touch(alert);
            }

            if (alert.Row.State == AlertState.Pending && condition.MayFire(now))
            {
                Move(alert, AlertState.Firing, now, changes);
            }

            return;
        }

        if (alert is null)
        {
            alert = new LiveAlert(new AlertRow
            {
                Fingerprint = condition.Fingerprint,
                AlertName = condition.AlertName,
                Severity = condition.Labels.GetValueOrDefault(AlertLabels.Severity, ""),
                LabelsJson = AlertJson.Write(condition.Labels),
                AnnotationsJson = AlertJson.Write(condition.Annotations),
            })
            { IsNew = true };
            memory.Alerts[condition.Fingerprint] = alert;
        }

        // New, or back after a resolve: a new incident of the same alert.
        alert.Annotations = condition.Annotations;
        alert.Row.AnnotationsJson = AlertJson.Write(condition.Annotations);
        alert.Row.ActiveSince = condition.ActiveSince;
        alert.Row.StartsAt = null;
        alert.Row.EndsAt = null;
        alert.Row.AcknowledgedBy = null;
        alert.Row.AcknowledgedAt = null;
        var from = alert.IsNew ? (AlertState?)null : alert.Row.State;
        alert.Row.State = AlertState.Pending;
        if (condition.MayFire(now))
        {
            alert.Row.State = AlertState.Firing;
            alert.Row.StartsAt = now;
        }

        alert.Row.UpdatedAt = now;
        changes.Record(alert, from, alert.Row.State, now);
    }

    private static void Move(LiveAlert alert, AlertState to, DateTimeOffset now, AlertChanges changes)
    {
        var from = alert.Row.State;
        alert.Row.State = to;
        alert.Row.UpdatedAt = now;
        if (to == AlertState.Firing)
        {
            alert.Row.StartsAt = now;
        }

        changes.Record(alert, from, to, now);
    }

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var value) && value == kv.Value);
}
