using System.Net;
using Microsoft.Playwright;
using Deliverability.Testing.Dns;

namespace Deliverability.Browser.Tests;

/// <summary>The dashboard in a real browser, against the real service and a real DNS server on 127.0.0.1.</summary>
public sealed class DashboardTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Domain = "shop.test";
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        // No SPF record at all: the spf check fails with spf.missing.
        _dns = TestDnsServer.Start(new TestZone().Mx(Domain, 10, "mx." + Domain).A("mx." + Domain, "192.0.2.25"));
        _server = await new DashboardServer(_dns.Endpoint, Domain, "news.test").StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Signed_in_admin_sees_the_domain_with_its_failing_check_and_the_fix()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin");

        var rail = page.Locator($"[data-testid=domain-rail] [data-domain='{Domain}']");
        await Assertions.Expect(rail.Locator("[data-status=error]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(page.Locator($"tr[data-domain='{Domain}'] [data-status=error]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-countdown='Black Friday']")).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "overview");

        await rail.ClickAsync();
        var spf = page.Locator("[data-check=spf]");
        await Assertions.Expect(spf.Locator("[data-status=error]")).ToBeVisibleAsync();
        var finding = spf.Locator("[data-finding='spf.missing']");
        await Assertions.Expect(finding).ToBeVisibleAsync();
        await Assertions.Expect(finding).ToContainTextAsync("Fix:");
        await Assertions.Expect(page.Locator("[data-check=mx] pre.records")).ToContainTextAsync("mx." + Domain);
        await DashboardPage.ScreenshotAsync(page, "domain");
    }

    [Fact]
    public async Task A_fixed_dns_record_appears_live_on_an_open_page_when_an_operator_runs_the_audit()
    {
        var viewer = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        await viewer.GotoAsync($"{_server.BaseUrl}/domains/{Domain}");
        await DashboardPage.WaitForInteractivityAsync(viewer);
        await Assertions.Expect(viewer.Locator("[data-check=spf] [data-finding='spf.missing']")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });

        _dns.Zone.Txt(Domain, "v=spf1 ip4:192.0.2.10 -all");
        var operatorPage = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator");
        await operatorPage.GotoAsync($"{_server.BaseUrl}/domains/{Domain}");
        await DashboardPage.WaitForInteractivityAsync(operatorPage);
        await operatorPage.ClickAsync("[data-testid=run-audit]");

        // The viewer's page was not reloaded: the change arrives over its circuit.
        await Assertions.Expect(viewer.Locator("[data-check=spf] [data-finding='spf.missing']")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(viewer.Locator("[data-check=spf] [data-status=error]")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.Locator(".history")).ToContainTextAsync("spf");
    }

    [Fact]
    public async Task A_change_made_through_the_api_reaches_the_overview_without_a_reload()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        var row = page.Locator($"tr[data-domain='{Domain}']");
        await Assertions.Expect(row.Locator("[data-status=error]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        var checkedBefore = await row.Locator("td").Last.InnerTextAsync();

        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", DashboardServer.OperatorKey);
        await Task.Delay(1100); // the audit time is shown to the second: make the new one differ
        var response = await api.PostAsync($"/api/domains/{Domain}/audit", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await Assertions.Expect(row.Locator("td").Last).Not.ToHaveTextAsync(checkedBefore, new() { Timeout = DashboardPage.Patience });
    }

    [Fact]
    public async Task Viewer_cannot_press_operator_buttons_nor_open_settings()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        await page.GotoAsync($"{_server.BaseUrl}/domains/{Domain}");
        await DashboardPage.WaitForInteractivityAsync(page);

        await Assertions.Expect(page.Locator("[data-testid=run-audit]")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByText("Settings")).ToHaveCountAsync(0);

        await page.GotoAsync($"{_server.BaseUrl}/settings/users");
        Assert.Contains("/access-denied", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByText("Your role does not allow this")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_adds_a_domain_with_a_message_next_to_a_bad_field_and_sees_its_first_audit()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin");
        await page.GotoAsync($"{_server.BaseUrl}/settings/domains");
        await DashboardPage.WaitForInteractivityAsync(page);

        await page.GetByLabel("Sending domain").FillAsync("new.test");
        await page.GetByLabel("Sending IPs").FillAsync("192.0.2.1, 300.1.1.1");
        await page.GetByLabel("Sending IPs").BlurAsync();
        await page.ClickAsync("[data-testid=add-domain]");

        await Assertions.Expect(page.GetByText("'300.1.1.1' is not an IP address.")).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "settings-domains");
        Assert.Contains("/settings/domains", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Sending IPs").FillAsync("192.0.2.1");
        await page.GetByLabel("DKIM selectors").FillAsync("s1");
        await page.ClickAsync("[data-testid=add-domain]");

        await page.WaitForURLAsync(url => url.EndsWith("/domains/new.test", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-check=spf]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(page.Locator("[data-testid=domain-rail] [data-domain='new.test']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_layout_is_one_column()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin", new ViewportSize { Width = 390, Height = 844 });

        // The domain column is a drawer closed by default on a narrow screen; the overview takes the whole width.
        var table = page.Locator("table").First;
        await Assertions.Expect(table).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=domain-rail]")).Not.ToBeInViewportAsync();
        await DashboardPage.ScreenshotAsync(page, "phone");
    }

    [Fact]
    public async Task A_broken_dns_record_raises_an_alert_live_that_an_operator_acknowledges_and_a_viewer_cannot()
    {
        var viewer = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        await viewer.GotoAsync($"{_server.BaseUrl}/alerts");
        await DashboardPage.WaitForInteractivityAsync(viewer);
        // The missing SPF record alerts from the first audit; MX is still fine.
        await Assertions.Expect(SpfAlert(viewer)).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(MxAlert(viewer)).ToHaveCountAsync(0);

        _dns.Zone.Remove(Domain);
        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", DashboardServer.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/domains/{Domain}/audit", null)).StatusCode);

        // The viewer's page was not reloaded: the alert arrives over its circuit.
        await Assertions.Expect(MxAlert(viewer)).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(MxAlert(viewer).Locator("[data-testid=acknowledge]")).ToBeDisabledAsync();
        await Assertions.Expect(viewer.Locator("[data-testid=create-silence]")).ToHaveCountAsync(0);

        var operatorPage = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator");
        await operatorPage.GotoAsync($"{_server.BaseUrl}/alerts");
        await DashboardPage.WaitForInteractivityAsync(operatorPage);
        await MxAlert(operatorPage).Locator("[data-testid=acknowledge]").ClickAsync();

        await Assertions.Expect(MxAlert(operatorPage).Locator("[data-testid=acknowledged-by]")).ToContainTextAsync("operator");
        await Assertions.Expect(MxAlert(viewer).Locator("[data-testid=acknowledged-by]")).ToContainTextAsync("operator", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(SpfAlert(viewer).Locator("[data-testid=acknowledged-by]")).ToBeEmptyAsync();
        await DashboardPage.ScreenshotAsync(operatorPage, "alerts");

        await viewer.GotoAsync(_server.BaseUrl + "/");
        await Assertions.Expect(viewer.Locator(".overview-alerts tr[data-alert=CheckFailing]", new() { HasText = $"MX of {Domain}" })).ToContainTextAsync("acknowledged by operator");
    }

    private static ILocator MxAlert(IPage page) => page.Locator("tr[data-alert=CheckFailing]", new() { HasText = $"check=mx, domain={Domain}" });

    private static ILocator SpfAlert(IPage page) => page.Locator("tr[data-alert=CheckFailing]", new() { HasText = $"check=spf, domain={Domain}" });
}
