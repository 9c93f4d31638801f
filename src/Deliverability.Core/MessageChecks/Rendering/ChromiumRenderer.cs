using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using MimeKit;

namespace Deliverability.Core.MessageChecks.Rendering;

/// <summary>
/// The inbox preview: the HTML part rendered by headless Chromium, driven over the DevTools protocol, at desktop width
/// (1280 px), phone width (390 px), in dark mode (<c>prefers-color-scheme: dark</c> plus Chromium's automatic dark
/// theme, as mail apps that darken light messages do), with images blocked, and the text part; each as the first
/// screen and the full length. Scripts never run, and every remote request is refused unless its host is allowed
/// (<see cref="RenderOptions.AllowedHosts"/>): a preview must not fire the sender's tracking pixels or reach out.
/// Images sent inside the message (<c>cid:</c>) are shown.
/// </summary>
public sealed class ChromiumRenderer(RenderOptions options) : IMessageRenderer
{
    // The phone renders lay the page out at 390 CSS px (not a 980 px page zoomed out): a layout wider than a phone shows
    // cut at the right, as it would overflow in a mail app that does not shrink it.

    /// <summary>Full-length renders are cut at this height (a very long message would make a huge PNG).</summary>
    public const int MaxFullHeight = 12_000;

    private const string BlockedImage = "https://blocked.invalid/image";

    private static readonly RenderVariant[] Variants =
    [
        new("desktop", "Desktop, 1280 px wide", 1280, 800, Dark: false, ImagesOff: false),
        new("phone", "Phone, 390 px wide", 390, 844, Dark: false, ImagesOff: false),
        new("dark", "Phone in dark mode", 390, 844, Dark: true, ImagesOff: false),
        new("images-off", "Desktop with images blocked (the default of many clients)", 1280, 800, Dark: false, ImagesOff: true),
        new("text", "The plain-text part", 800, 800, Dark: false, ImagesOff: false),
    ];

    public async Task<MessageRenders> RenderAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        if (!options.Enabled)
        {
            return MessageRenders.None($"renders are turned off ({MessageCheckOptions.SectionName}:Render:Enabled)");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            await using var chromium = await ChromiumProcess.StartAsync(options.ChromiumPath, timeout.Token).ConfigureAwait(false);
            await using var connection = new DevToolsConnection();
            await connection.ConnectAsync(chromium.BrowserUrl, timeout.Token).ConfigureAwait(false);
            var html = InlineImages(message, message.HtmlBody);
            var text = message.TextBody;
            var images = new List<MessageRender>();
            foreach (var variant in Variants)
            {
                var document = variant.Name == "text"
                    ? (text is null ? null : TextDocument(text))
                    : (html is null ? null : WithPolicy(variant.ImagesOff ? WithoutImages(html) : html, variant.ImagesOff));
                if (document is not null)
                {
                    images.AddRange(await RenderOneAsync(connection, variant, document, timeout.Token).ConfigureAwait(false));
                }
            }

            return new MessageRenders(images, images.Count == 0 ? "the message has neither an HTML nor a text part" : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MessageRenders.None($"rendering took more than {options.TimeoutSeconds:0} s");
        }
        catch (Exception ex) when (ex is DevToolsException or System.Net.WebSockets.WebSocketException or IOException or System.ComponentModel.Win32Exception or JsonException or InvalidOperationException)
        {
            return MessageRenders.None(ex.Message);
        }
    }

    private async Task<IReadOnlyList<MessageRender>> RenderOneAsync(DevToolsConnection connection, RenderVariant variant, string document, CancellationToken cancellationToken)
    {
        var target = await connection.SendAsync("Target.createTarget", new { url = "about:blank" }, null, cancellationToken).ConfigureAwait(false);
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, null, cancellationToken).ConfigureAwait(false);
        var session = attached.GetProperty("sessionId").GetString()!;
        try
        {
            connection.OnEvent = (method, parameters, from) => method == "Fetch.requestPaused" && from == session
                ? DecideAsync(connection, parameters, session, variant, cancellationToken)
                : Task.CompletedTask;

            Task<JsonElement> Send(string method, object? parameters = null) => connection.SendAsync(method, parameters, session, cancellationToken);
            await Send("Page.enable").ConfigureAwait(false);
            await Send("Fetch.enable", new { patterns = new[] { new { urlPattern = "*" } } }).ConfigureAwait(false);
            await Send("Emulation.setScriptExecutionDisabled", new { value = true }).ConfigureAwait(false);
            await Send("Emulation.setDeviceMetricsOverride", new { width = variant.Width, height = variant.Height, deviceScaleFactor = 1, mobile = false }).ConfigureAwait(false);
            await Send("Emulation.setEmulatedMedia", new { media = "screen", features = new[] { new { name = "prefers-color-scheme", value = variant.Dark ? "dark" : "light" } } }).ConfigureAwait(false);
            await Send("Emulation.setAutoDarkModeOverride", new { enabled = variant.Dark }).ConfigureAwait(false);

            var tree = await Send("Page.getFrameTree").ConfigureAwait(false);
            var frameId = tree.GetProperty("frameTree").GetProperty("frame").GetProperty("id").GetString()!;
            await Send("Page.setDocumentContent", new { frameId, html = document }).ConfigureAwait(false);
            await WaitForLoadAsync(Send, cancellationToken).ConfigureAwait(false);

            var first = await Send("Page.captureScreenshot", new { format = "png" }).ConfigureAwait(false);
            var metrics = await Send("Page.getLayoutMetrics").ConfigureAwait(false);
            var height = (int)Math.Ceiling(metrics.GetProperty("cssContentSize").GetProperty("height").GetDouble());
            var fullHeight = Math.Clamp(height, variant.Height, MaxFullHeight);
            var full = await Send("Page.captureScreenshot", new
            {
                format = "png",
                captureBeyondViewport = true,
                clip = new { x = 0, y = 0, width = variant.Width, height = fullHeight, scale = 1 },
            }).ConfigureAwait(false);

            return
            [
                new MessageRender(variant.Name, $"{variant.Description}: first screen", variant.Width, variant.Height, first.GetProperty("data").GetBytesFromBase64()),
                new MessageRender(variant.Name + "-full", $"{variant.Description}: full length{(height > MaxFullHeight ? $" (cut at {MaxFullHeight} px of {height})" : "")}",
                    variant.Width, fullHeight, full.GetProperty("data").GetBytesFromBase64()),
            ];
        }
        finally
        {
            connection.OnEvent = null;
            await connection.SendAsync("Target.closeTarget", new { targetId }, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Every request of the page stops here: allowed hosts go on (no images in the images-off render), the rest fail.</summary>
    private async Task DecideAsync(DevToolsConnection connection, JsonElement paused, string session, RenderVariant variant, CancellationToken cancellationToken)
    {
        var requestId = paused.GetProperty("requestId").GetString();
        var url = paused.GetProperty("request").GetProperty("url").GetString() ?? "";
        var type = paused.TryGetProperty("resourceType", out var t) ? t.GetString() : null;
        var allowed = IsAllowed(url) && !(variant.ImagesOff && type == "Image");
        try
        {
            await (allowed
                ? connection.SendAsync("Fetch.continueRequest", new { requestId }, session, cancellationToken)
                : connection.SendAsync("Fetch.failRequest", new { requestId, errorReason = "BlockedByClient" }, session, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DevToolsException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The page went away while the request waited: nothing to decide any more.
        }
    }

    private bool IsAllowed(string url)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        return HostPatterns.Matches(options.AllowedHosts, uri.IdnHost);
    }

    private static async Task WaitForLoadAsync(Func<string, object?, Task<JsonElement>> send, CancellationToken cancellationToken)
    {
        // Scripts are off for the page, not for this evaluation (DevTools evaluates in its own right).
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var state = await send("Runtime.evaluate", new { expression = "document.readyState", returnByValue = true }).ConfigureAwait(false);
            if (state.GetProperty("result").TryGetProperty("value", out var value) && value.GetString() == "complete")
            {
                break;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        // Fonts and layout settle after the load event.
        await send("Runtime.evaluate", new { expression = "document.fonts ? document.fonts.ready.then(() => true) : true", awaitPromise = true, returnByValue = true }).ConfigureAwait(false);
    }

    /// <summary>The HTML with <c>cid:</c> images replaced by the images the message carries (as data: URLs).</summary>
    private static string? InlineImages(MimeMessage message, string? html)
    {
        if (html is null || !html.Contains("cid:", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }

        var parts = message.BodyParts.OfType<MimePart>()
            .Where(p => p.ContentId is not null && p.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(p => p.ContentId!, StringComparer.OrdinalIgnoreCase);
        var document = new HtmlParser().ParseDocument(html);
        var budget = 20 * 1024 * 1024L;
        foreach (var image in document.QuerySelectorAll("img[src^='cid:' i]"))
        {
            var id = image.GetAttribute("src")![4..];
            if (!parts.TryGetValue(id, out var part) || part.Content is null)
            {
                continue;
            }

            using var bytes = new MemoryStream();
            part.Content.DecodeTo(bytes);
            budget -= bytes.Length;
            if (budget < 0)
            {
                break;
            }

            image.SetAttribute("src", $"data:{part.ContentType.MimeType};base64,{Convert.ToBase64String(bytes.GetBuffer(), 0, (int)bytes.Length)}");
        }

        return document.DocumentElement.OuterHtml;
    }

    /// <summary>
    /// The HTML with a Content-Security-Policy that lets it load nothing remote but from the allowed hosts (and no image
    /// at all with images off): the browser refuses the rest before any request leaves, whatever the markup or CSS asks.
    /// </summary>
    private string WithPolicy(string html, bool imagesOff)
    {
        var hosts = string.Concat(options.AllowedHosts.Select(h => $" https://{h}:* http://{h}:*"));
        var images = imagesOff ? "'none'" : $"data:{hosts}";
        var policy = $"default-src 'none'; img-src {images}; style-src 'unsafe-inline'{hosts}; font-src data:{hosts}; media-src data:{hosts}";
        var document = new HtmlParser().ParseDocument(html);
        var meta = document.CreateElement("meta");
        meta.SetAttribute("http-equiv", "Content-Security-Policy");
        meta.SetAttribute("content", policy);
        document.Head!.Prepend(meta);
        return document.DocumentElement.OuterHtml;
    }

    /// <summary>The HTML with every image pointing at a blocked address, so that alt texts and empty boxes show as in a client that blocks images.</summary>
    private static string WithoutImages(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var image in document.QuerySelectorAll("img"))
        {
            image.SetAttribute("src", BlockedImage);
            image.RemoveAttribute("srcset");
        }

        return document.DocumentElement.OuterHtml;
    }

    private static string TextDocument(string text) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:16px;background:#fff\">"
        + "<pre style=\"white-space:pre-wrap;word-wrap:break-word;font:14px/1.45 monospace;color:#222\">"
        + WebUtility.HtmlEncode(text) + "</pre></body></html>";

    private sealed record RenderVariant(string Name, string Description, int Width, int Height, bool Dark, bool ImagesOff);
}
