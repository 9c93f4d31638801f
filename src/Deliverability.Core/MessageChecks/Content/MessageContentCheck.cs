using System.Text;
using System.Text.RegularExpressions;
using Deliverability.Core.Audits;
using Deliverability.Core.PublicSuffix;
using MimeKit;

namespace Deliverability.Core.MessageChecks.Content;

/// <summary>What the content check measured.</summary>
/// <param name="HtmlBytes">Size of the HTML part in UTF-8 bytes (what Gmail's clipping counts), 0 without one.</param>
/// <param name="TextSimilarity">Share of the HTML's words the text part also has (0 to 1), null without both parts.</param>
public sealed record MessageContentFacts(
    int HtmlBytes,
    int TextChars,
    int Links,
    int Images,
    int ImagesWithoutAlt,
    int TrackingPixels,
    double? TextSimilarity,
    string Preheader,
    IReadOnlyList<string> LinkHosts,
    IReadOnlyList<string> ImageHosts);

/// <summary>
/// The content checks: HTML size against Gmail's clipping, images without alt text, image-only mail, a missing or very
/// different text part, remote fonts, scripts and forms, tracking pixels, links that show one domain and go to another,
/// and URL shorteners.
/// </summary>
public sealed partial class MessageContentCheck(PublicSuffixList? publicSuffixes = null)
{
    /// <summary>Gmail clips a message whose HTML is larger than this ("[Message clipped] View entire message").</summary>
    public const int GmailClipBytes = 102 * 1024;

    /// <summary>Public URL shorteners: mailbox providers distrust them because they hide the real target.</summary>
    public static readonly IReadOnlySet<string> Shorteners = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at",
        "tiny.cc", "bl.ink", "t.ly", "rb.gy", "s.id", "v.gd", "soo.gd", "lnkd.in", "shorte.st", "adf.ly", "qr.ae", "clck.ru", "tr.im",
    };

    /// <summary>Under this many characters of visible text, a message with images is an image-only message.</summary>
    public const int ImageOnlyTextChars = 100;

    private readonly PublicSuffixList _publicSuffixes = publicSuffixes ?? PublicSuffixList.Default;

    public (MessageContentFacts Facts, MessageHtml? Html, IReadOnlyList<Finding> Findings) Check(MimeMessage message)
    {
        var findings = new List<Finding>();
        var htmlText = message.HtmlBody;
        var text = message.TextBody;
        if (htmlText is null)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                findings.Add(Finding.Error("message.content.empty", "The message has neither an HTML nor a text part with content.", "Send the campaign's HTML with a text alternative."));
            }

            return (new MessageContentFacts(0, text?.Length ?? 0, 0, 0, 0, 0, null, Preview(text ?? ""), [], []), null, findings);
        }

        var bytes = Encoding.UTF8.GetByteCount(htmlText);
        var html = MessageHtml.Parse(htmlText);
        Size(bytes, findings);
        Images(html, findings);
        TextPart(html, text, findings, out var similarity);
        Elements(html, findings);
        Links(html, findings);

        var facts = new MessageContentFacts(
            bytes, text?.Length ?? 0, html.Links.Count, html.Images.Count, html.Images.Count(i => !i.IsTrackingPixel && string.IsNullOrWhiteSpace(i.Alt)),
            html.Images.Count(i => i.IsTrackingPixel), similarity, html.Preheader,
            [.. html.Links.Select(l => l.Host).OfType<string>().Distinct()], [.. html.Images.Select(i => i.Host).OfType<string>().Distinct()]);
        return (facts, html, findings);
    }

    private static void Size(int bytes, List<Finding> findings)
    {
        var kb = bytes / 1024.0;
        if (bytes > GmailClipBytes)
        {
            findings.Add(Finding.Error("message.content.gmail_clipped", $"The HTML is {kb:0.#} KB: Gmail clips messages over 102 KB, hiding the rest (often the unsubscribe link and the open pixel) behind \"View entire message\".",
                "Bring the HTML under 102 KB: remove unused CSS, inline less, shorten long tracking URLs, split the content."));
        }
        else if (bytes > GmailClipBytes * 0.9)
        {
            findings.Add(Finding.Warning("message.content.near_gmail_clip", $"The HTML is {kb:0.#} KB, close to Gmail's 102 KB clipping limit; tracking rewrites by the ESP may push it over.",
                "Keep the HTML well under 102 KB."));
        }
    }

    private static void Images(MessageHtml html, List<Finding> findings)
    {
        var visible = html.Images.Where(i => !i.IsTrackingPixel).ToList();
        var withoutAlt = visible.Count(i => string.IsNullOrWhiteSpace(i.Alt));
        if (withoutAlt > 0)
        {
            findings.Add(Finding.Warning("message.content.image_without_alt", $"{withoutAlt} of {visible.Count} image(s) have no alt text: with images blocked (the default of many clients) the reader sees empty boxes.",
                "Give every meaningful image an alt text (alt=\"\" for spacers)."));
        }

        if (visible.Count > 0 && html.VisibleText.Length < ImageOnlyTextChars)
        {
            findings.Add(Finding.Error("message.content.image_only", $"The message is mostly images ({visible.Count} image(s), {html.VisibleText.Length} characters of text): spam filters distrust image-only mail and blocked images leave it empty.",
                "Put the offer in live HTML text, with images around it."));
        }

        var pixels = html.Images.Count(i => i.IsTrackingPixel);
        if (pixels > 0)
        {
            findings.Add(Finding.Info("message.content.tracking_pixels", $"{pixels} tracking pixel(s) (1x1 or hidden images)." + (pixels > 1 ? " More than one is unusual and some filters count it against the message." : ""),
                pixels > 1 ? "Keep one open-tracking pixel." : ""));
        }
    }

    private static void TextPart(MessageHtml html, string? text, List<Finding> findings, out double? similarity)
    {
        similarity = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            findings.Add(Finding.Warning("message.content.text_part_missing", "The message has no text part: some filters score HTML-only mail higher, and text-only clients show nothing useful.",
                "Send a multipart/alternative message with a text version of the content."));
            return;
        }

        var htmlWords = Words(html.VisibleText);
        if (htmlWords.Count < 10)
        {
            return;
        }

        var textWords = Words(text);
        similarity = htmlWords.Count(textWords.Contains) / (double)htmlWords.Count;
        if (similarity < 0.5)
        {
            findings.Add(Finding.Warning("message.content.text_part_differs", $"The text part shares only {similarity:P0} of the HTML's words: a text part unlike the HTML is a spam sign (and a poor read in text clients).",
                "Generate the text part from the same content as the HTML."));
        }
    }

    private static void Elements(MessageHtml html, List<Finding> findings)
    {
        if (html.Scripts > 0)
        {
            findings.Add(Finding.Error("message.content.script", $"The HTML has {html.Scripts} <script> element(s): every mail client strips them and filters score them as spam.", "Remove all scripts from the email HTML."));
        }

        if (html.Forms > 0)
        {
            findings.Add(Finding.Warning("message.content.form", $"The HTML has {html.Forms} form(s): most clients disable them and some warn the reader.", "Link to a form on your website instead."));
        }

        if (html.EmbeddedFrames > 0)
        {
            findings.Add(Finding.Error("message.content.embedded_frame", $"The HTML has {html.EmbeddedFrames} iframe/object/embed element(s): clients strip them and filters distrust them.", "Replace them with an image linking to the content."));
        }

        if (html.RemoteFontHosts.Count > 0)
        {
            findings.Add(Finding.Info("message.content.remote_fonts", $"Fonts are loaded from {string.Join(", ", html.RemoteFontHosts)}: Gmail and Outlook ignore web fonts, so the fallback font is what most readers see.",
                "Give every web font a fallback font stack that looks right."));
        }
    }

    private void Links(MessageHtml html, List<Finding> findings)
    {
        foreach (var link in html.Links)
        {
            if (link.Host is null)
            {
                continue;
            }

            if (LinkTextDomain(link.Text) is { } shown && Organization(shown) != Organization(link.Host))
            {
                findings.Add(Finding.Error("message.links.text_domain_mismatch", $"A link shows {shown} but goes to {link.Host}: filters treat this as phishing.",
                    "Make the text of a link that shows an address point to that address (or show plain words instead of an address).") with { Subject = link.Host });
            }

            if (Shorteners.Contains(link.Host))
            {
                findings.Add(Finding.Warning("message.links.shortener", $"A link uses the URL shortener {link.Host}: shorteners hide the target and are widely used by spammers, so filters distrust them.",
                    "Link to your own domain (your ESP's branded tracking domain).") with { Subject = link.Host });
            }
        }
    }

    private string Organization(string host) => _publicSuffixes.OrganizationalDomain(host);

    /// <summary>The domain a link's text shows, when the text is an address (www.example.com, https://example.com/x).</summary>
    private static string? LinkTextDomain(string text)
    {
        var match = ShownAddress().Match(text.Trim());
        return match.Success ? match.Groups["host"].Value.ToLowerInvariant() : null;
    }

    private static HashSet<string> Words(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Take(20_000)];

    private static string Preview(string text)
    {
        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= 140 ? collapsed : collapsed[..140] + "…";
    }

    [GeneratedRegex(@"^(https?://)?(?<host>([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(:[0-9]{1,5})?(/\S*)?$", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex ShownAddress();

    [GeneratedRegex(@"\p{L}[\p{L}\p{N}]{2,}", RegexOptions.NonBacktracking)]
    private static partial Regex Word();
}
