using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// A Slack incoming-webhook message: <c>text</c> (the notification's fallback and push text), a header block, and one
/// attachment coloured red (firing) or green (resolved) with a section per alert and its links.
/// </summary>
public static class SlackMessage
{
    public const string FiringColor = "#E01E5A";
    public const string ResolvedColor = "#2EB67D";

    /// <summary>Slack refuses more than 50 blocks in a message; the rest are summed up in one line.</summary>
    private const int MaxAlertBlocks = 20;

    public static JsonObject Create(AlertGroupNotification notification)
    {
        var title = AlertText.Title(notification);
        var alertBlocks = new JsonArray();
        foreach (var alert in notification.Alerts.Take(MaxAlertBlocks))
        {
            alertBlocks.Add(Section(AlertLine(alert)));
        }

        if (notification.Alerts.Count > MaxAlertBlocks)
        {
            alertBlocks.Add(Context($"and {notification.Alerts.Count - MaxAlertBlocks} more alerts"));
        }

        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(title, 150), ["emoji"] = true },
            },
        };
        if (!string.IsNullOrEmpty(notification.ExternalUrl))
        {
            blocks.Add(Context($"<{Escape(notification.ExternalUrl)}|Open the dashboard>"));
        }

        return new JsonObject
        {
            ["text"] = title,
            ["blocks"] = blocks,
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["color"] = notification.Status == NotificationStatus.Firing ? FiringColor : ResolvedColor,
                    ["fallback"] = title,
                    ["blocks"] = alertBlocks,
                },
            },
        };
    }

    private static string AlertLine(NotifiedAlert alert)
    {
        var status = alert.Status == NotificationStatus.Firing ? ":red_circle: *Firing*" : ":large_green_circle: *Resolved*";
        var line = $"{status} {Escape(AlertText.Summary(alert))}";
        if (AlertText.Description(alert) is { Length: > 0 } description)
        {
            line += $"\n{Escape(description)}";
        }

        if (AlertText.Fix(alert) is { Length: > 0 } fix)
        {
            line += $"\n*Fix:* {Escape(fix)}";
        }

        if (AlertText.Link(alert) is { Length: > 0 } link)
        {
            line += $"\n<{Escape(link)}|View in the dashboard>";
        }

        return Truncate(line, 3000);
    }

    private static JsonObject Section(string markdown) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = markdown },
    };

    private static JsonObject Context(string markdown) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = markdown } },
    };

    // Slack's mrkdwn treats these three as control characters (https://api.slack.com/reference/surfaces/formatting#escaping).
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
