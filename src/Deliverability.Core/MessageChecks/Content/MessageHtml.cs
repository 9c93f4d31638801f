using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Deliverability.Core.MessageChecks.Content;

/// <summary>One link of the HTML: its target and the text a reader sees.</summary>
public sealed record MessageLink(string Href, string Text, string? Host);

/// <summary>One image of the HTML.</summary>
/// <param name="IsTrackingPixel">1x1 or hidden: it is there to report the open, not to be seen.</param>
public sealed record MessageImage(string Source, string? Alt, string? Host, bool IsTrackingPixel);

/// <summary>
/// The HTML part read as a browser would (AngleSharp): links, images, visible text, the preheader, and the elements
/// mail clients strip or distrust (scripts, forms, embedded frames, remote fonts).
/// </summary>
public sealed partial class MessageHtml
{
    private MessageHtml()
    {
    }

    public IReadOnlyList<MessageLink> Links { get; private init; } = [];

    public IReadOnlyList<MessageImage> Images { get; private init; } = [];

    /// <summary>The text of the body as a reader sees it, whitespace collapsed.</summary>
    public string VisibleText { get; private init; } = "";

    /// <summary>The first words of the body (a hidden preheader included), as an inbox list shows them after the subject.</summary>
    public string Preheader { get; private init; } = "";

    public int Scripts { get; private init; }

    public int Forms { get; private init; }

    /// <summary>iframe, object and embed elements.</summary>
    public int EmbeddedFrames { get; private init; }

    /// <summary>Hosts fonts are loaded from (stylesheet links, @import and @font-face URLs).</summary>
    public IReadOnlyList<string> RemoteFontHosts { get; private init; } = [];

    public static MessageHtml Parse(string html)
    {
        if (html.Length > MessageLimits.MaxHtmlChars)
        {
            html = html[..MessageLimits.MaxHtmlChars];
        }

        var document = new HtmlParser().ParseDocument(html);
        var body = document.Body;
        var links = document.QuerySelectorAll("a[href]").Take(MessageLimits.MaxLinks)
            .Select(a => new MessageLink(a.GetAttribute("href")!.Trim(), Collapse(a.TextContent), HostOf(a.GetAttribute("href"))))
            .ToList();
        var images = document.QuerySelectorAll("img").Take(MessageLimits.MaxLinks)
            .Select(i => new MessageImage(i.GetAttribute("src")?.Trim() ?? "", i.GetAttribute("alt"), HostOf(i.GetAttribute("src")), IsTrackingPixel(i)))
            .ToList();

        var fontHosts = new List<string>();
        foreach (var link in document.QuerySelectorAll("link[href]"))
        {
            var href = link.GetAttribute("href")!;
            if (href.Contains("font", StringComparison.OrdinalIgnoreCase) && HostOf(href) is { } host)
            {
                fontHosts.Add(host);
            }
        }

        foreach (var style in document.QuerySelectorAll("style").Select(s => s.TextContent).Concat(document.QuerySelectorAll("[style]").Select(e => e.GetAttribute("style")!)))
        {
            if (!style.Contains("@import", StringComparison.OrdinalIgnoreCase) && !style.Contains("@font-face", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (Match match in CssUrl().Matches(style))
            {
                if (HostOf(match.Groups["url"].Value) is { } host)
                {
                    fontHosts.Add(host);
                }
            }
        }

        var scripts = document.QuerySelectorAll("script").Length;
        var forms = document.QuerySelectorAll("form").Length;
        var frames = document.QuerySelectorAll("iframe, object, embed").Length;

        // The visible text leaves out what is hidden; the preheader keeps it (inbox lists show hidden preheaders).
        foreach (var element in body?.QuerySelectorAll("script, style, noscript, template").ToList() ?? [])
        {
            element.Remove();
        }

        var allText = Collapse(body?.TextContent ?? "");
        foreach (var element in body?.QuerySelectorAll("[hidden]").Concat(body.QuerySelectorAll("[style]").Where(IsHidden)).ToList() ?? [])
        {
            element.Remove();
        }

        return new MessageHtml
        {
            Links = links,
            Images = images,
            VisibleText = Collapse(body?.TextContent ?? ""),
            Preheader = allText.Length <= 140 ? allText : allText[..140].TrimEnd() + "…",
            Scripts = scripts,
            Forms = forms,
            EmbeddedFrames = frames,
            RemoteFontHosts = [.. fontHosts.Distinct(StringComparer.OrdinalIgnoreCase)],
        };
    }

    /// <summary>The lower-case host of an http(s) URL; null for other schemes (cid:, data:, mailto:) and malformed ones.</summary>
    public static string? HostOf(string? url)
    {
        var text = url?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            text = "https:" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? uri.IdnHost.TrimEnd('.').ToLowerInvariant()
            : null;
    }

    private static bool IsTrackingPixel(IElement image)
    {
        static bool Tiny(string? value) => value is not null && int.TryParse(value.Trim().Replace("px", "", StringComparison.OrdinalIgnoreCase), out var n) && n <= 1;
        var style = image.GetAttribute("style") ?? "";
        return (Tiny(image.GetAttribute("width")) && Tiny(image.GetAttribute("height")))
            || (TinyCss().IsMatch(style) && style.Contains("height", StringComparison.OrdinalIgnoreCase))
            || IsHidden(image);
    }

    private static bool IsHidden(IElement element)
    {
        var style = (element.GetAttribute("style") ?? "").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return style.Contains("display:none", StringComparison.Ordinal) || style.Contains("visibility:hidden", StringComparison.Ordinal)
            || style.Contains("max-height:0", StringComparison.Ordinal) || style.Contains("opacity:0;", StringComparison.Ordinal) || style.EndsWith("opacity:0", StringComparison.Ordinal);
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"url\(\s*['""]?(?<url>[^'""\)\s]{1,2000})", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex CssUrl();

    [GeneratedRegex(@"width\s*:\s*[01]px", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex TinyCss();
}
