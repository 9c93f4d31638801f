using System.Net;
using System.Text;
using MimeKit;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// The email of a notification: the subject says the status and how many alerts (<c>[FIRING:2] ...</c>), the body lists
/// each alert with its summary, description, fix and dashboard link, as plain text and as HTML.
/// </summary>
public static class AlertEmail
{
    public static MimeMessage Create(AlertGroupNotification notification, EmailReceiverOptions email)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.From!.Trim()));
        foreach (var to in email.To)
        {
            message.To.Add(MailboxAddress.Parse(to.Trim()));
        }

        message.Subject = AlertText.Title(notification);
        // Replies and auto-responders should not loop back into an alerting mailbox.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Alert-Group-Key", notification.GroupKey);
        // The same notification sent again (a retry, a resend after a restart) has the same Message-ID, which mail systems dedupe on.
        message.MessageId = $"{notification.IdempotencyKey}@{DomainOf(message.From.Mailboxes.First().Address)}";
        message.Body = new BodyBuilder { TextBody = Text(notification), HtmlBody = Html(notification) }.ToMessageBody();
        return message;
    }

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..] is { Length: > 0 } domain ? domain : "monitor.invalid";

    private static string Text(AlertGroupNotification notification)
    {
        var text = new StringBuilder();
        text.AppendLine(AlertText.Title(notification)).AppendLine();
        foreach (var group in Sections(notification))
        {
            text.AppendLine($"{group.Heading}:").AppendLine();
            foreach (var alert in group.Alerts)
            {
                text.AppendLine($"- {AlertText.Summary(alert)}");
                AppendLine(text, "  ", AlertText.Description(alert));
                AppendLine(text, "  Fix: ", AlertText.Fix(alert));
                text.AppendLine($"  Since: {AlertText.Timestamp(alert.StartsAt)}");
                AppendLine(text, "  Link: ", AlertText.Link(alert));
                text.AppendLine("  Labels: " + string.Join(", ", alert.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
                text.AppendLine();
            }
        }

        AppendLine(text, "Dashboard: ", notification.ExternalUrl);
        return text.ToString();
    }

    private static string Html(AlertGroupNotification notification)
    {
        var color = notification.Status == NotificationStatus.Firing ? "#b3261e" : "#1e7b34";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append($"<h2 style=\"color:{color}\">{Encode(AlertText.Title(notification))}</h2>");
        foreach (var group in Sections(notification))
        {
            html.Append($"<h3>{Encode(group.Heading)}</h3><ul>");
            foreach (var alert in group.Alerts)
            {
                html.Append($"<li><strong>{Encode(AlertText.Summary(alert))}</strong>");
                if (AlertText.Description(alert) is { Length: > 0 } description)
                {
                    html.Append($"<br>{Encode(description)}");
                }

                if (AlertText.Fix(alert) is { Length: > 0 } fix)
                {
                    html.Append($"<br><em>Fix:</em> {Encode(fix)}");
                }

                html.Append($"<br><small>Since {Encode(AlertText.Timestamp(alert.StartsAt))}</small>");
                if (AlertText.Link(alert) is { Length: > 0 } link)
                {
                    html.Append($"<br><a href=\"{Encode(link)}\">View in the dashboard</a>");
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        if (!string.IsNullOrEmpty(notification.ExternalUrl))
        {
            html.Append($"<p><a href=\"{Encode(notification.ExternalUrl)}\">Open the dashboard</a></p>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static IEnumerable<(string Heading, NotifiedAlert[] Alerts)> Sections(AlertGroupNotification notification)
    {
        var firing = notification.Alerts.Where(a => a.Status == NotificationStatus.Firing).ToArray();
        var resolved = notification.Alerts.Where(a => a.Status == NotificationStatus.Resolved).ToArray();
        if (firing.Length > 0)
        {
            yield return ($"{firing.Length} firing", firing);
        }

        if (resolved.Length > 0)
        {
            yield return ($"{resolved.Length} resolved", resolved);
        }
    }

    private static void AppendLine(StringBuilder text, string prefix, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(prefix).AppendLine(value);
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
