using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Testing.Http;
using Deliverability.Testing.Images;
using MimeKit;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>Renders by Debian's headless Chromium, with an HTTP server on 127.0.0.1 standing for the sender's tracking host.</summary>
public sealed class ChromiumRendererTests : IAsyncLifetime
{
    private TestHttpReceiver _tracker = null!;

    public async Task InitializeAsync() => _tracker = await TestHttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _tracker.DisposeAsync();

    [Fact]
    public async Task Renders_every_view_at_its_width_with_content_and_blocks_remote_loading()
    {
        var html = TestMessages.Html($"""<img src="{_tracker.Url("open.gif")}" width="1" height="1"><img src="cid:logo@shop" alt="Shop logo">"""
            + string.Concat(Enumerable.Repeat("<p>More offers: boots, gloves, scarves and hats at forty percent off.</p>", 40)));
        var message = TestMessages.Campaign(html: html);
        message.Body = WithLogo(message.Body!);

        var renders = await new ChromiumRenderer(new RenderOptions()).RenderAsync(message);

        Assert.Null(renders.Problem);
        Assert.Equal(["desktop", "desktop-full", "phone", "phone-full", "dark", "dark-full", "images-off", "images-off-full", "text", "text-full"], renders.Images.Select(i => i.Name));
        foreach (var render in renders.Images)
        {
            var png = PngImage.Decode(render.Png);
            Assert.Equal(render.Width, png.Width);
            Assert.Equal(render.Height, png.Height);
            Assert.True(png.ContentShare() > 0.002, $"{render.Name} looks blank ({png.ContentShare():P2} of pixels differ from the background)");
        }

        Assert.Equal(1280, renders.Images.Single(i => i.Name == "desktop").Width);
        Assert.Equal(390, renders.Images.Single(i => i.Name == "phone").Width);
        Assert.True(renders.Images.Single(i => i.Name == "phone-full").Height > 844, "the phone's full-length render is longer than its first screen");
        var light = PngImage.Decode(renders.Images.Single(i => i.Name == "phone").Png).MeanBrightness();
        var dark = PngImage.Decode(renders.Images.Single(i => i.Name == "dark").Png).MeanBrightness();
        Assert.True(dark < light - 100, $"dark mode is dark (mean brightness {dark:0} against {light:0})");
        Assert.True(_tracker.Requests.Count == 0, "remote requests: " + string.Join(", ", _tracker.Requests.Select(r => r.Method + " " + r.Path + " " + string.Join(";", r.Headers.Select(h => h.Key + "=" + h.Value)))));
    }

    [Fact]
    public async Task Allowed_hosts_are_loaded()
    {
        var message = TestMessages.Campaign(html: TestMessages.Html($"""<img src="{_tracker.Url("hero.png")}" alt="Hero">"""));

        var renders = await new ChromiumRenderer(new RenderOptions { AllowedHosts = ["127.0.0.1"] }).RenderAsync(message);

        Assert.Null(renders.Problem);
        Assert.Contains(_tracker.Requests, r => r.Path.EndsWith("hero.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_chromium_is_a_problem_not_an_exception()
    {
        var renders = await new ChromiumRenderer(new RenderOptions { ChromiumPath = "/nonexistent/chromium" }).RenderAsync(TestMessages.Campaign());

        Assert.Empty(renders.Images);
        Assert.Contains("not installed", renders.Problem);
    }

    private static Multipart WithLogo(MimeEntity body)
    {
        // A 2x2 red PNG carried in the message, shown through cid: (never fetched from anywhere).
        var logo = new MimePart("image", "png")
        {
            ContentId = "logo@shop",
            Content = new MimeContent(new MemoryStream(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="))),
        };
        var related = new MultipartRelated { body, logo };
        return related;
    }
}
