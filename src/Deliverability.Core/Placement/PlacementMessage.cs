using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace Deliverability.Core.Placement;

/// <summary>The test message of one seed: the configured message plus the seed's token in a header and in both bodies.</summary>
public static partial class PlacementMessage
{
    /// <summary>The header that carries the token; receivers keep unknown X- headers.</summary>
    public const string TokenHeader = "X-Monitor-Placement";

    /// <summary>A seed's token: the run id (32 hex digits), a dot and the seed's index in the configuration.</summary>
    public static string Token(Guid runId, int seedIndex) => $"{runId:N}.{seedIndex}";

    public static MimeMessage Create(PlacementMessageOptions message, string to, string token, DateTimeOffset date)
    {
        var from = MailboxAddress.Parse(message.From);
        var mime = new MimeMessage { Subject = message.Subject, Date = date };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(to));
        mime.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(from.Domain);
        mime.Headers.Add(TokenHeader, token);
        if (!string.IsNullOrWhiteSpace(message.ListUnsubscribe))
        {
            mime.Headers.Add(HeaderId.ListUnsubscribe, message.ListUnsubscribe.Trim());
        }

        if (!string.IsNullOrWhiteSpace(message.ListUnsubscribePost))
        {
            mime.Headers.Add("List-Unsubscribe-Post", message.ListUnsubscribePost.Trim());
        }

        // The token in the body too: a receiver or a forwarder that drops unknown headers still lets the message be found.
        var body = new BodyBuilder();
        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            body.TextBody = $"{message.Text}\r\n\r\nReference: {token}\r\n";
        }

        if (!string.IsNullOrWhiteSpace(message.Html))
        {
            body.HtmlBody = $"{message.Html}\r\n<p style=\"font-size:small;color:#888\">Reference: {WebUtility.HtmlEncode(token)}</p>\r\n";
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>The seed index of a token of <paramref name="runId"/> found in a header or a body; null when there is none.</summary>
    public static int? SeedIndexIn(string? text, Guid runId)
    {
        if (text is null)
        {
            return null;
        }

        foreach (Match match in TokenPattern().Matches(text))
        {
            if (Guid.TryParseExact(match.Groups["run"].Value, "N", out var id) && id == runId && int.TryParse(match.Groups["seed"].Value, out var seed))
            {
                return seed;
            }
        }

        return null;
    }

    /// <summary>The run of a token header value of this service (exactly <c>&lt;32 hex digits&gt;.&lt;seed index&gt;</c>); null for anything else.</summary>
    public static Guid? RunOf(string? headerValue)
    {
        var parts = headerValue?.Trim().Split('.');
        return parts is [var run, var seed] && run.Length == 32 && Guid.TryParseExact(run, "N", out var id)
            && seed.Length is > 0 and <= 6 && seed.All(char.IsAsciiDigit)
            ? id
            : null;
    }

    [GeneratedRegex(@"(?<run>[0-9a-f]{32})\.(?<seed>[0-9]{1,6})", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();
}
