using System.Text.RegularExpressions;
using Deliverability.Core.Audits;
using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Core.MessageChecks.Content;
using Deliverability.Core.PublicSuffix;
using MimeKit;
using MimeKit.Utils;

namespace Deliverability.Core.MessageChecks.BulkSender;

/// <summary>
/// Gmail's, Yahoo's and Outlook.com's bulk-sender rules as they apply to one message: one-click unsubscribe (RFC 8058:
/// an https <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>, both covered by a
/// passing DKIM signature), a visible unsubscribe link, a valid <c>Message-ID</c> and <c>Date</c>, and a From domain
/// among the audited sending domains.
/// </summary>
public sealed partial class BulkSenderMessageRules(TimeProvider? time = null, PublicSuffixList? publicSuffixes = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly PublicSuffixList _publicSuffixes = publicSuffixes ?? PublicSuffixList.Default;

    /// <param name="auditedDomains">The sending domains this service audits; empty skips the From domain rule.</param>
    public IReadOnlyList<Finding> Check(MimeMessage message, IReadOnlyList<DkimSignatureResult> dkim, MessageHtml? html, IReadOnlyCollection<string> auditedDomains)
    {
        var findings = new List<Finding>();
        Unsubscribe(message, dkim, html, findings);
        Identity(message, findings);
        FromDomain(message, auditedDomains, findings);
        return findings;
    }

    private static void Unsubscribe(MimeMessage message, IReadOnlyList<DkimSignatureResult> dkim, MessageHtml? html, List<Finding> findings)
    {
        var listUnsubscribe = message.Headers[HeaderId.ListUnsubscribe];
        var post = message.Headers["List-Unsubscribe-Post"];
        if (listUnsubscribe is null)
        {
            findings.Add(Finding.Error("message.bulk.list_unsubscribe_missing", "The message has no List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe of bulk senders (over 5,000 messages a day).",
                "Add List-Unsubscribe: <https://...> and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058); most ESPs have a setting for it."));
        }
        else
        {
            var uris = Bracketed().Matches(listUnsubscribe).Select(m => m.Groups["uri"].Value.Trim()).ToList();
            if (!uris.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                findings.Add(Finding.Error("message.bulk.list_unsubscribe_no_https", $"List-Unsubscribe has no https URL ({Shown(listUnsubscribe)}): one-click unsubscribe (RFC 8058) needs one; a mailto: alone does not satisfy Gmail and Yahoo.",
                    "Add an https unsubscribe URL that accepts a POST: List-Unsubscribe: <https://...>, <mailto:...>."));
            }

            if (post is null || !string.Equals(post.Trim(), "List-Unsubscribe=One-Click", StringComparison.Ordinal))
            {
                findings.Add(Finding.Error("message.bulk.one_click_missing", post is null
                        ? "The message has no List-Unsubscribe-Post header: without it receivers cannot unsubscribe in one click (RFC 8058)."
                        : $"List-Unsubscribe-Post is \"{Shown(post)}\", not \"List-Unsubscribe=One-Click\" (RFC 8058).",
                    "Add List-Unsubscribe-Post: List-Unsubscribe=One-Click."));
            }

            var passing = dkim.Where(d => d.Verdict == DkimVerdict.Pass).ToList();
            var unsigned = new[] { "List-Unsubscribe", "List-Unsubscribe-Post" }
                .Where(h => message.Headers.Contains(h) && !passing.Any(d => d.Covers(h)))
                .ToList();
            if (unsigned.Count > 0)
            {
                findings.Add(Finding.Error("message.bulk.one_click_unsigned", $"{string.Join(" and ", unsigned)} {(unsigned.Count == 1 ? "is" : "are")} not covered by a passing DKIM signature: RFC 8058 requires both to be signed, and Gmail ignores unsigned one-click headers.",
                    "Add List-Unsubscribe and List-Unsubscribe-Post to the signed headers (h=), and add them before the message is signed."));
            }
        }

        if (html is not null && !html.Links.Any(IsUnsubscribeLink) && !ContainsUnsubscribe(message.TextBody))
        {
            findings.Add(Finding.Warning("message.bulk.visible_unsubscribe_missing", "The message shows no unsubscribe link: Gmail and Yahoo require a clearly visible one in the body of marketing mail.",
                "Put an \"Unsubscribe\" link in the footer."));
        }
    }

    private void Identity(MimeMessage message, List<Finding> findings)
    {
        var messageId = message.Headers[HeaderId.MessageId];
        if (messageId is null || MessageIdShape().IsMatch(messageId.Trim()) is false)
        {
            findings.Add(Finding.Error("message.bulk.message_id_invalid", messageId is null
                    ? "The message has no Message-ID header: Gmail rejects or distrusts mail without one (RFC 5322 section 3.6.4)."
                    : $"The Message-ID \"{Shown(messageId)}\" is not of the form <left@right> (RFC 5322 section 3.6.4).",
                "Let the sending server or ESP add a Message-ID like <unique@your-domain>."));
        }

        var dateHeader = message.Headers[HeaderId.Date];
        if (dateHeader is null || !DateUtils.TryParse(dateHeader, out var date))
        {
            findings.Add(Finding.Error("message.bulk.date_invalid", dateHeader is null ? "The message has no Date header (RFC 5322 requires one)." : $"The Date header \"{Shown(dateHeader)}\" cannot be read (RFC 5322 section 3.3).",
                "Let the sending server add a Date header."));
        }
        else if (date > _time.GetUtcNow().AddDays(1))
        {
            findings.Add(Finding.Warning("message.bulk.date_future", $"The Date {date:u} is in the future: filters distrust mail dated ahead.", "Check the clock of the server that builds the message."));
        }
    }

    private void FromDomain(MimeMessage message, IReadOnlyCollection<string> audited, List<Finding> findings)
    {
        var from = message.From.Mailboxes.Select(m => m.Domain?.ToLowerInvariant()).FirstOrDefault();
        if (from is null || audited.Count == 0)
        {
            return;
        }

        var organization = _publicSuffixes.OrganizationalDomain(from);
        if (!audited.Any(d => string.Equals(d, from, StringComparison.OrdinalIgnoreCase) || string.Equals(_publicSuffixes.OrganizationalDomain(d), organization, StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(Finding.Warning("message.bulk.from_not_audited", $"The From domain {from} is not among the audited sending domains ({string.Join(", ", audited.Take(10))}): its authentication is not being watched.",
                $"Add {from} as a sending domain, or send from one of the audited domains."));
        }
    }

    private static bool IsUnsubscribeLink(MessageLink link) => ContainsUnsubscribe(link.Text) || ContainsUnsubscribe(link.Href);

    private static bool ContainsUnsubscribe(string? text) => text is not null && UnsubscribeWords().IsMatch(text);

    private static string Shown(string value) => value.Length <= 120 ? value.Trim() : value[..120].Trim() + "…";

    [GeneratedRegex(@"<(?<uri>[^<>]{1,2000})>", RegexOptions.NonBacktracking)]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^<[^<>@\s]{1,900}@[^<>@\s]{1,900}>$", RegexOptions.NonBacktracking)]
    private static partial Regex MessageIdShape();

    [GeneratedRegex(@"unsubscribe|opt[\s-]?out|d[ée]sabonner|d[ée]sinscri|abmelden|darse de baja|manage (your )?preferences", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex UnsubscribeWords();
}
