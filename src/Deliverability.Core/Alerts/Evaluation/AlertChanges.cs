using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>What one evaluation changed: the alerts to store and one history row per change of state, acknowledgement or muting.</summary>
internal sealed class AlertChanges
{
    private readonly HashSet<LiveAlert> _alerts = [];

    public List<AlertHistoryRow> History { get; } = [];

    /// <summary>The alert's row changed (annotations, muting) without a change of state to record.</summary>
    public void Touch(LiveAlert alert) => _alerts.Add(alert);

    /// <summary>The alert's row changed, and so did its state (or <paramref name="note"/> says what else).</summary>
    public void Record(LiveAlert alert, AlertState? from, AlertState to, DateTimeOffset at, string? note = null)
    {
        _alerts.Add(alert);
        History.Add(new AlertHistoryRow
        {
            Fingerprint = alert.Row.Fingerprint,
            AlertName = alert.Row.AlertName,
            FromState = from,
            ToState = to,
            At = at,
            Note = note,
        });
    }

    /// <summary>Adds the changed alerts and the history to <paramref name="db"/>'s next save.</summary>
    public void AddTo(MonitorDbContext db)
    {
        foreach (var alert in _alerts)
        {
            if (alert.IsNew)
            {
                db.Add(alert.Row);
            }
            else
            {
                db.Update(alert.Row);
            }
        }

        db.AddRange(History);
    }

    /// <summary>After the save: announces each change, with its alert's labels, acknowledgement and muting as they are now.</summary>
    public void PublishTo(LiveFeed<AlertChanged> feed, IReadOnlyDictionary<string, LiveAlert> alerts)
    {
        foreach (var change in History)
        {
            var alert = alerts.GetValueOrDefault(change.Fingerprint);
            feed.Publish(new AlertChanged(change.Fingerprint, change.AlertName, change.FromState, change.ToState,
                alert?.Labels ?? new Dictionary<string, string>(), change.At, alert?.Row.AcknowledgedBy, alert?.Row.MutedBy is not null));
        }
    }

    /// <summary>After the save: the new alerts have rows now.</summary>
    public void Stored()
    {
        foreach (var alert in _alerts)
        {
            alert.IsNew = false;
        }
    }
}
