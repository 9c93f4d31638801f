namespace Deliverability.Core.Alerts;

// The contract between the alert engine (rules, lifecycle, grouping, silences: it decides WHAT to send and WHEN) and
// the notifiers (webhook, Slack, PagerDuty, Teams, email: they decide HOW, with retries), and the live push.

/// <summary>The lifecycle state of one alert (Alertmanager's and Grafana's words).</summary>
public enum AlertState
{
    /// <summary>The rule's condition holds but not yet for its <c>for</c> duration.</summary>
    Pending,

    Firing,

    Resolved,
}

/// <summary>Whether a notification (or one alert in it) is about a firing or a resolved incident.</summary>
public enum NotificationStatus
{
    Firing,
    Resolved,
}

/// <summary>One alert as a receiver sees it (the fields of Alertmanager's webhook payload, version 4).</summary>
/// <param name="Fingerprint">A stable hash of <paramref name="Labels"/>: the identity that deduplicates.</param>
/// <param name="Labels">At least <c>alertname</c> and <c>severity</c>; then <c>domain</c>, <c>ip</c>, <c>provider</c>, <c>check</c>, <c>zone</c> as they apply.</param>
/// <param name="Annotations"><c>summary</c>, <c>description</c>, <c>fix</c>, <c>dashboard_url</c> as they apply.</param>
/// <param name="EndsAt">Null while firing.</param>
/// <param name="GeneratorUrl">A link to the dashboard page of the alert's subject.</param>
public sealed record NotifiedAlert(
    string Fingerprint,
    NotificationStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl);

/// <summary>One message to one receiver: the alerts of one group (Alertmanager's unit of notification).</summary>
/// <param name="GroupKey">Stable per route and group labels; PagerDuty's <c>dedup_key</c> is derived from it.</param>
/// <param name="Status">Firing when any alert in the group fires, resolved when all are resolved.</param>
/// <param name="ExternalUrl">The dashboard's base address, for links.</param>
public sealed record AlertGroupNotification(
    string Receiver,
    string GroupKey,
    NotificationStatus Status,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyList<NotifiedAlert> Alerts,
    string? ExternalUrl)
{
    /// <summary>
    /// The same for every send of the same notification, retries and a resend after a restart included, and different
    /// for the next one (a change, or a repeat): a receiver that keeps the keys it has seen can drop a duplicate. Sent as
    /// the <c>Idempotency-Key</c> HTTP header and as the email's Message-ID. The engine sets it from the group's
    /// notification log; by default it is derived from the content.
    /// </summary>
    public string IdempotencyKey { get; init; } = NotificationKeys.Of(Receiver, GroupKey, Status, null, Alerts.Select(a => (a.Fingerprint, a.Status)));

    /// <summary>The labels every alert of the group has with the same value.</summary>
    public IReadOnlyDictionary<string, string> CommonLabels => Common(Alerts.Select(a => a.Labels));

    /// <summary>The annotations every alert of the group has with the same value.</summary>
    public IReadOnlyDictionary<string, string> CommonAnnotations => Common(Alerts.Select(a => a.Annotations));

    private static Dictionary<string, string> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        Dictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            common = common is null
                ? new Dictionary<string, string>(set, StringComparer.Ordinal)
                : common.Where(kv => set.TryGetValue(kv.Key, out var value) && value == kv.Value).ToDictionary(StringComparer.Ordinal);
        }

        return common ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }
}

/// <summary>How the delivery of one notification ended, after its retries.</summary>
/// <param name="Error">Why it failed, without secrets (no webhook URL, no key).</param>
public sealed record NotificationOutcome(string Receiver, bool Delivered, int Attempts, string? Error);

/// <summary>Delivers notifications to the configured receivers by name (implemented by the notifiers).</summary>
public interface IAlertNotificationSender
{
    /// <summary>The names of the configured receivers.</summary>
    IReadOnlyCollection<string> Receivers { get; }

    /// <summary>Sends to <see cref="AlertGroupNotification.Receiver"/>, retrying as the receiver's type allows; never throws for delivery failures.</summary>
    Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken);
}

/// <summary>Published on <c>LiveFeed&lt;AlertChanged&gt;</c> when an alert changes state or is acknowledged or silenced.</summary>
/// <param name="From">Null for a new alert.</param>
public sealed record AlertChanged(
    string Fingerprint,
    string AlertName,
    AlertState? From,
    AlertState To,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset At,
    string? AcknowledgedBy = null,
    bool Silenced = false);
