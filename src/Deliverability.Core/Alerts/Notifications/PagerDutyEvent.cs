using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// A PagerDuty Events API v2 event: <c>trigger</c> while the group fires, <c>resolve</c> when it heals, both with the
/// same <c>dedup_key</c> (a hash of the group key, as Alertmanager does) so PagerDuty keeps one incident per group.
/// </summary>
public static class PagerDutyEvent
{
    public const string Client = "Deliverability monitor";

    public static JsonObject Create(AlertGroupNotification notification, string routingKey)
    {
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = notification.Status == NotificationStatus.Firing ? "trigger" : "resolve",
            ["dedup_key"] = DedupKey(notification.GroupKey),
        };
        if (notification.Status == NotificationStatus.Resolved)
        {
            return body;
        }

        var firing = notification.Alerts.Where(a => a.Status == NotificationStatus.Firing).ToArray();
        var first = firing.FirstOrDefault() ?? notification.Alerts.FirstOrDefault();
        var summary = first is null ? AlertText.Title(notification) : $"{AlertText.Title(notification)} {AlertText.Summary(first)}";
        var details = new JsonObject
        {
            ["firing"] = string.Join("\n", firing.Select(Line)),
            ["num_firing"] = firing.Length,
            ["num_resolved"] = notification.Alerts.Count - firing.Length,
            ["group_labels"] = AlertmanagerWebhookPayload.Map(notification.GroupLabels),
            ["common_labels"] = AlertmanagerWebhookPayload.Map(notification.CommonLabels),
        };
        var payload = new JsonObject
        {
            ["summary"] = summary.Length <= 1024 ? summary : summary[..1023] + "…",
            ["source"] = first is null ? "monitor" : AlertText.Subject(first) ?? "monitor",
            ["severity"] = Severity(firing.Length > 0 ? firing : notification.Alerts),
            ["timestamp"] = AlertText.Timestamp(first?.StartsAt ?? DateTimeOffset.UtcNow),
            ["custom_details"] = details,
        };
        if (notification.CommonLabels.TryGetValue("check", out var check))
        {
            payload["component"] = check;
        }

        if (notification.CommonLabels.TryGetValue("alertname", out var alertName))
        {
            payload["class"] = alertName;
        }

        if (notification.CommonLabels.TryGetValue("domain", out var domain))
        {
            payload["group"] = domain;
        }

        body["payload"] = payload;
        body["client"] = Client;
        if (!string.IsNullOrEmpty(notification.ExternalUrl))
        {
            body["client_url"] = notification.ExternalUrl;
        }

        var links = new JsonArray();
        foreach (var link in notification.Alerts.Select(AlertText.Link).Where(l => !string.IsNullOrEmpty(l)).Distinct().Take(10))
        {
            links.Add(new JsonObject { ["href"] = link, ["text"] = "View in the dashboard" });
        }

        body["links"] = links;
        return body;
    }

    /// <summary>The same group key always gives the same key (64 hex digits, under PagerDuty's 255-character limit).</summary>
    public static string DedupKey(string groupKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(groupKey)));

    /// <summary>The highest severity among the alerts, in PagerDuty's four words (unknown labels count as error, as in Alertmanager).</summary>
    public static string Severity(IEnumerable<NotifiedAlert> alerts)
    {
        var rank = alerts.Select(a => Rank(a.Labels.GetValueOrDefault("severity"))).DefaultIfEmpty(1).Max();
        return rank switch
        {
            3 => "critical",
            2 => "error",
            1 => "warning",
            _ => "info",
        };
    }

    private static int Rank(string? severity) => severity?.Trim().ToLowerInvariant() switch
    {
        "critical" or "page" or "fatal" => 3,
        "warning" or "warn" or "minor" => 1,
        "info" or "informational" or "none" or "notice" => 0,
        _ => 2,
    };

    private static string Line(NotifiedAlert alert)
    {
        var line = AlertText.Summary(alert);
        return AlertText.Fix(alert) is { Length: > 0 } fix ? $"{line} — fix: {fix}" : line;
    }
}
