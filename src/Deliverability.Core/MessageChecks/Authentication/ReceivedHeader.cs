using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>The SMTP client that handed a message to the receiving server: its IP address and HELO name.</summary>
public sealed record SmtpOrigin(IPAddress Ip, string? Helo);

/// <summary>
/// Reads the topmost <c>Received</c> header, the one the receiving server (ours) added, and only that one: every
/// header below it was written by servers the message passed before, which anyone can forge.
/// </summary>
public static partial class ReceivedHeader
{
    private const int MaxChars = 2048;

    /// <summary>The client of the topmost Received header when it says the message came by SMTP (<c>with SMTP</c>, <c>ESMTPS</c>, ...), else null.</summary>
    public static SmtpOrigin? TopmostOf(MimeMessage message)
    {
        var header = message.Headers.FirstOrDefault(h => h.Id == HeaderId.Received)?.Value;
        if (header is null)
        {
            return null;
        }

        var text = Whitespace().Replace(header.Length > MaxChars ? header[..MaxChars] : header, " ");
        if (!BySmtp().IsMatch(text))
        {
            return null;
        }

        var from = FromClause().Match(text);
        if (!from.Success || !IPAddress.TryParse(from.Groups["ip"].Value, out var ip))
        {
            return null;
        }

        var helo = from.Groups["helo"].Value;
        return new SmtpOrigin(ip, helo.Length > 0 && !helo.StartsWith('[') ? helo : null);
    }

    // Postfix: "from mail.example.com (mail.example.com [192.0.2.1])"; "(unknown [192.0.2.1])"; "[IPv6:2001:db8::1]".
    [GeneratedRegex(@"^\s*from (?<helo>[^\s()]{1,255}) \([^()\[\]]{0,300}\[(?:IPv6:)?(?<ip>[0-9A-Fa-f:.]{2,45})\]", RegexOptions.NonBacktracking)]
    private static partial Regex FromClause();

    [GeneratedRegex(@"\bwith (E?SMTP[A-Z]{0,3}|UTF8SMTP[A-Z]{0,3})\b", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex BySmtp();

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
