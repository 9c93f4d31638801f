using System.Globalization;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>The words every receiver shows: a title for the group, a line per alert, the links.</summary>
public static class AlertText
{
    public static string StatusWord(NotificationStatus status) => status == NotificationStatus.Firing ? "firing" : "resolved";

    /// <summary>Alertmanager's subject line: <c>[FIRING:2] DkimKeyMissing (example.com)</c>.</summary>
    public static string Title(AlertGroupNotification notification)
    {
        var count = notification.Status == NotificationStatus.Firing
            ? notification.Alerts.Count(a => a.Status == NotificationStatus.Firing)
            : notification.Alerts.Count;
        var labels = notification.GroupLabels.Count > 0 ? notification.GroupLabels : notification.CommonLabels;
        var name = labels.TryGetValue("alertname", out var alertName) ? alertName : notification.CommonLabels.GetValueOrDefault("alertname");
        var rest = labels.Where(kv => kv.Key != "alertname").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToArray();
        var title = $"[{StatusWord(notification.Status).ToUpperInvariant()}:{count.ToString(CultureInfo.InvariantCulture)}]";
        if (!string.IsNullOrEmpty(name))
        {
            title += " " + name;
        }

        if (rest.Length > 0)
        {
            title += $" ({string.Join(" ", rest)})";
        }

        return title;
    }

    /// <summary>The alert's summary annotation, or its name and subject when it has none.</summary>
    public static string Summary(NotifiedAlert alert)
    {
        if (alert.Annotations.TryGetValue("summary", out var summary) && !string.IsNullOrWhiteSpace(summary))
        {
            return summary;
        }

        var name = alert.Labels.GetValueOrDefault("alertname", "alert");
        var subject = Subject(alert);
        return subject is null ? name : $"{name} on {subject}";
    }

    /// <summary>What the alert is about: its domain, IP, provider or zone.</summary>
    public static string? Subject(NotifiedAlert alert) =>
        new[] { "domain", "ip", "provider", "zone", "check" }.Select(alert.Labels.GetValueOrDefault).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    public static string? Fix(NotifiedAlert alert) => alert.Annotations.GetValueOrDefault("fix");

    public static string? Description(NotifiedAlert alert) => alert.Annotations.GetValueOrDefault("description");

    /// <summary>The dashboard page of the alert: its dashboard_url annotation, else its generator URL.</summary>
    public static string? Link(NotifiedAlert alert) =>
        alert.Annotations.TryGetValue("dashboard_url", out var url) && !string.IsNullOrWhiteSpace(url) ? url : alert.GeneratorUrl;

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
