using Microsoft.Playwright;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;
using MimeKit;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The Message check page in a real browser: the Core tests' campaign message, DKIM-signed with a key served by a real
/// DNS server, uploaded as an .eml file and checked by the service's real spamd and Chromium renderer; then an unsigned
/// copy, the two compared, a file that is not a message refused clearly, and a Viewer reading without the upload.
/// </summary>
public sealed class MessageCheckPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly string[] Signed = ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"];

    /// <summary>The first check starts spamd, which loads its rules: up to minutes on two busy cores.</summary>
    private const float CheckPatience = 240_000;

    private readonly TestDkimKey _key = TestDkimKey.Ed25519("shop.example.test", "bf2026");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-message-check-" + Guid.NewGuid().ToString("N"));
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var zone = new TestZone()
            .Txt("shop.example.test", "v=spf1 ip4:192.0.2.10 -all")
            .Txt("_dmarc.shop.example.test", "v=DMARC1; p=quarantine; rua=mailto:dmarc@shop.example.test")
            .A("test.dbl.test", "127.0.1.2");
        _key.PublishIn(zone);
        _dns = TestDnsServer.Start(zone);
        _server = new DashboardServer(_dns.Endpoint, "shop.example.test");
        _server.ExtraSettings["Monitor:MessageChecks:UriBlocklists:0"] = "domain:dbl.test=127.0.1.2";
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Operator_uploads_a_campaign_and_sees_its_score_findings_and_renders_then_compares_two_checks()
    {
        var signed = TestMessages.Campaign();
        _key.Sign(signed, Signed);
        var signedFile = await SaveAsync("campaign.eml", TestDkimKey.Bytes(signed));
        var unsignedFile = await SaveAsync("campaign-unsigned.eml", TestDkimKey.Bytes(TestMessages.Campaign(html: TestMessages.Html("""<p><img src="https://cdn.example.test/hat.jpg" width="300" height="200"></p>"""))));
        var notAMessage = await SaveAsync("report.eml", [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 10, 10]);

        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator", new ViewportSize { Width = 1400, Height = 1500 });
        await page.GotoAsync($"{_server.BaseUrl}/message-checks");
        await DashboardPage.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=no-checks]")).ToBeVisibleAsync();

        await page.SetInputFilesAsync("[data-testid=upload] input[type=file]", signedFile);
        await Assertions.Expect(page.Locator("[data-testid=checking]")).ToBeVisibleAsync();
        var report = page.Locator("[data-testid=report]");
        await Assertions.Expect(report).ToBeVisibleAsync(new() { Timeout = CheckPatience });
        await Assertions.Expect(page.Locator("[data-testid=score]")).ToContainTextAsync("/ 10");
        await Assertions.Expect(page.Locator("[data-testid=dkim] tr[data-result=pass]")).ToContainTextAsync("shop.example.test");
        await Assertions.Expect(page.Locator("[data-testid=dmarc]")).ToHaveTextAsync("pass");
        await Assertions.Expect(page.Locator("[data-testid=spam-score]")).ToContainTextAsync("of a threshold of");
        await Assertions.Expect(page.Locator("[data-testid=spam-rules] tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=inbox-preview]")).ToContainTextAsync("Forty percent off everything");
        await Assertions.Expect(page.Locator("[data-testid=findings][data-group=spam], [data-testid=findings][data-group=authentication]").First).ToBeVisibleAsync();

        var renders = page.Locator("[data-testid=renders] figure");
        await Assertions.Expect(renders).ToHaveCountAsync(5);
        foreach (var name in new[] { "desktop", "phone", "dark", "images-off", "text" })
        {
            var image = page.Locator($"[data-testid=renders] figure[data-render={name}] img");
            await image.ScrollIntoViewIfNeededAsync();
            await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        }

        await page.Locator("[data-testid=renders] figure[data-render=phone] button").ClickAsync();
        var full = page.Locator("[data-testid=full-render][data-render=phone-full] img");
        await Assertions.Expect(full).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalHeight > 800", await full.ElementHandleAsync());

        await page.SetInputFilesAsync("[data-testid=upload] input[type=file]", unsignedFile);
        await Assertions.Expect(page.Locator("[data-testid=findings] tr[data-code='message.dkim.unsigned']")).ToBeVisibleAsync(new() { Timeout = CheckPatience });
        await Assertions.Expect(page.Locator("[data-testid=findings] tr[data-code='message.content.image_without_alt']")).ToContainTextAsync("Fix:");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await DashboardPage.ScreenshotAsync(page, "message-check");

        var past = page.Locator("[data-testid=past-checks] tbody tr");
        await Assertions.Expect(past).ToHaveCountAsync(2);
        await Assertions.Expect(past.First).ToContainTextAsync("upload");
        await past.Nth(0).Locator("[data-testid=pick]").CheckAsync();
        await past.Nth(1).Locator("[data-testid=pick]").CheckAsync();
        await page.ClickAsync("[data-testid=compare]");
        var comparison = page.Locator("[data-testid=comparison]");
        await Assertions.Expect(comparison.Locator("tr[data-change=new][data-code='message.dkim.unsigned']")).ToBeVisibleAsync();
        await Assertions.Expect(comparison.Locator("[data-testid=score-change] td").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^-[0-9]"));

        await page.SetInputFilesAsync("[data-testid=upload] input[type=file]", notAMessage);
        await Assertions.Expect(page.Locator("[data-testid=upload-error]")).ToContainTextAsync("not a message");
        await Assertions.Expect(past).ToHaveCountAsync(2);

        var viewer = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        await viewer.GotoAsync($"{_server.BaseUrl}/message-checks");
        await DashboardPage.WaitForInteractivityAsync(viewer);
        await Assertions.Expect(viewer.Locator("[data-testid=past-checks] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(viewer.Locator("[data-testid=report]")).ToBeVisibleAsync();
        await Assertions.Expect(viewer.Locator("[data-testid=upload]")).ToHaveCountAsync(0);
    }

    private async Task<string> SaveAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
