using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.Alerts;

/// <summary>The idempotency key of a notification: a hash of what it tells and of which notification of its group it is.</summary>
public static class NotificationKeys
{
    /// <param name="previousNotifiedAt">When the group's receiver was last told something (null before the first
    /// notification): it tells a repeat of the same content from a resend of the same notification. Counted in
    /// milliseconds, which every database keeps (PostgreSQL stores microseconds).</param>
    public static string Of(
        string receiver,
        string groupKey,
        NotificationStatus status,
        DateTimeOffset? previousNotifiedAt,
        IEnumerable<(string Fingerprint, NotificationStatus Status)> alerts)
    {
        var text = new StringBuilder()
            .Append(receiver).Append('\u0000')
            .Append(groupKey).Append('\u0000')
            .Append(status == NotificationStatus.Firing ? "firing" : "resolved").Append('\u0000')
            .Append(previousNotifiedAt?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "first").Append('\u0000');
        foreach (var (fingerprint, alertStatus) in alerts.OrderBy(a => a.Fingerprint, StringComparer.Ordinal))
        {
            text.Append(fingerprint).Append(alertStatus == NotificationStatus.Firing ? ":f" : ":r").Append('\u0001');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
