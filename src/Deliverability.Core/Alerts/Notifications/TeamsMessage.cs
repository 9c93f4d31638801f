using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// A message for a Microsoft Teams workflow webhook ("Post to a channel when a webhook request is received"): a
/// <c>message</c> with one Adaptive Card attachment holding the title, a fact set per alert and a link to the dashboard.
/// </summary>
public static class TeamsMessage
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    private const int MaxAlerts = 20;

    public static JsonObject Create(AlertGroupNotification notification)
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = AlertText.Title(notification),
                ["size"] = "Large",
                ["weight"] = "Bolder",
                ["wrap"] = true,
                ["color"] = notification.Status == NotificationStatus.Firing ? "Attention" : "Good",
            },
        };
        foreach (var alert in notification.Alerts.Take(MaxAlerts))
        {
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = $"{(alert.Status == NotificationStatus.Firing ? "🔴 Firing" : "🟢 Resolved")}: {AlertText.Summary(alert)}",
                ["weight"] = "Bolder",
                ["wrap"] = true,
                ["separator"] = true,
            });
            var facts = new JsonArray();
            foreach (var (title, value) in Facts(alert))
            {
                facts.Add(new JsonObject { ["title"] = title, ["value"] = value });
            }

            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
            if (AlertText.Link(alert) is { Length: > 0 } link)
            {
                body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"[View in the dashboard]({link})", ["wrap"] = true });
            }
        }

        if (notification.Alerts.Count > MaxAlerts)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"and {notification.Alerts.Count - MaxAlerts} more alerts", ["isSubtle"] = true });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (!string.IsNullOrEmpty(notification.ExternalUrl))
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the dashboard", ["url"] = notification.ExternalUrl } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = AdaptiveCardContentType, ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static IEnumerable<(string Title, string Value)> Facts(NotifiedAlert alert)
    {
        foreach (var label in new[] { "severity", "domain", "ip", "provider", "check", "zone" })
        {
            if (alert.Labels.TryGetValue(label, out var value))
            {
                yield return (label, value);
            }
        }

        yield return ("since", AlertText.Timestamp(alert.StartsAt));
        if (AlertText.Fix(alert) is { Length: > 0 } fix)
        {
            yield return ("fix", fix);
        }
    }
}
