using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// The body Alertmanager posts to a webhook receiver (payload version 4), field for field, so that any consumer written
/// for Alertmanager (alertmanager-webhook-*, Grafana OnCall, custom bridges) reads ours unchanged.
/// </summary>
public static class AlertmanagerWebhookPayload
{
    /// <summary>Alertmanager's zero time: what it sends as <c>endsAt</c> while an alert fires.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <param name="maxAlerts">0 = all; otherwise the first <paramref name="maxAlerts"/> alerts, the rest counted in <c>truncatedAlerts</c>.</param>
    public static JsonObject Create(AlertGroupNotification notification, int maxAlerts = 0)
    {
        var alerts = maxAlerts > 0 ? notification.Alerts.Take(maxAlerts).ToArray() : [.. notification.Alerts];
        return new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = notification.GroupKey,
            ["truncatedAlerts"] = notification.Alerts.Count - alerts.Length,
            ["status"] = AlertText.StatusWord(notification.Status),
            ["receiver"] = notification.Receiver,
            ["groupLabels"] = Map(notification.GroupLabels),
            ["commonLabels"] = Map(notification.CommonLabels),
            ["commonAnnotations"] = Map(notification.CommonAnnotations),
            ["externalURL"] = notification.ExternalUrl ?? "",
            ["alerts"] = new JsonArray([.. alerts.Select(Alert)]),
        };
    }

    private static JsonObject Alert(NotifiedAlert alert) => new()
    {
        ["status"] = AlertText.StatusWord(alert.Status),
        ["labels"] = Map(alert.Labels),
        ["annotations"] = Map(alert.Annotations),
        ["startsAt"] = AlertText.Timestamp(alert.StartsAt),
        ["endsAt"] = alert.EndsAt is { } ends ? AlertText.Timestamp(ends) : ZeroTime,
        ["generatorURL"] = alert.GeneratorUrl ?? "",
        ["fingerprint"] = alert.Fingerprint,
    };

    internal static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var json = new JsonObject();
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }
}
