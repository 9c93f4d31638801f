using Microsoft.Playwright;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Http;

namespace Deliverability.Browser.Tests;

/// <summary>
/// Settings → Seeds and send paths, Alert receivers and Alert rules in a real browser, as an Admin: the messages next to
/// the fields, write-only secrets, and a test notification delivered to a real HTTP receiver on 127.0.0.1.
/// </summary>
public sealed class SettingsPagesTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string ImapPassword = "Seed-imap-password-7f3a";
    private TestDnsServer _dns = null!;
    private TestHttpReceiver _receiver = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        _receiver = await TestHttpReceiver.StartAsync();
        // No monitored domain: no alert can fire, so the only request the receiver gets is the test notification.
        _server = new DashboardServer(_dns.Endpoint);
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Name"] = "mta";
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Host"] = "127.0.0.1";
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Port"] = "2525";
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Security"] = "none";
        _server.ExtraSettings["Monitor:Placement:Message:From"] = "Shop <news@shop.test>";
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Admin_adds_a_seed_a_bad_address_is_shown_next_to_its_field_and_the_saved_password_is_only_set()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin");
        await page.GotoAsync($"{_server.BaseUrl}/settings/placement");
        await DashboardPage.WaitForInteractivityAsync(page);

        await TypeAsync(page, "provider", "Yahoo");
        await TypeAsync(page, "address", "bob-at-yahoo.test");
        await TypeAsync(page, "imap-host", "127.0.0.1");
        await TypeAsync(page, "imap-user", "bob");
        await TypeAsync(page, "imap-password", ImapPassword);
        await page.ClickAsync("[data-testid=save-seed]");

        await Assertions.Expect(page.Locator("div[data-field=address]")).ToContainTextAsync("'bob-at-yahoo.test' is not an email address.", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(page.Locator("div[data-field=address] input")).ToHaveValueAsync("bob-at-yahoo.test");
        await Assertions.Expect(page.Locator("div[data-field=provider] input")).ToHaveValueAsync("Yahoo");
        await Assertions.Expect(page.Locator("div[data-field=imap-host]")).Not.ToContainTextAsync("is not");
        await Assertions.Expect(page.Locator("tr[data-seed]")).ToHaveCountAsync(0);
        await page.EvaluateAsync("window.scrollTo(0, 0)"); // filling the lower fields scrolled the message out of view
        await Assertions.Expect(page.Locator("div[data-field=address]")).ToBeInViewportAsync();
        await DashboardPage.ScreenshotAsync(page, "settings-placement");

        // What was typed stays, the password too, and the password is in the field only, never in the page's HTML.
        await Assertions.Expect(page.Locator("div[data-field=imap-password] input")).ToHaveValueAsync(ImapPassword);
        Assert.DoesNotContain(ImapPassword, await page.ContentAsync(), StringComparison.Ordinal);

        await TypeAsync(page, "address", "bob@yahoo.test");
        await page.ClickAsync("[data-testid=save-seed]");

        var row = page.Locator("tr[data-seed='bob@yahoo.test']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-origin", "dashboard", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(row).ToContainTextAsync("dashboard");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("set");
        await Assertions.Expect(page.Locator("[data-testid=run-problem]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(ImapPassword, await page.ContentAsync(), StringComparison.Ordinal);

        // Edited: the password field says it is set and stays empty.
        await row.Locator("[data-testid=edit-seed]").ClickAsync();
        await Assertions.Expect(page.Locator("div[data-field=imap-password]")).ToContainTextAsync("Set: leave empty to keep it", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(page.Locator("div[data-field=imap-password] input")).ToHaveValueAsync("");
        Assert.DoesNotContain(ImapPassword, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_adds_a_webhook_receiver_sends_one_test_notification_and_changes_an_alert_rule()
    {
        var hookUrl = _receiver.Url("hooks/T0-secret-token-4c1d");
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin");
        await page.GotoAsync($"{_server.BaseUrl}/settings/receivers");
        await DashboardPage.WaitForInteractivityAsync(page);

        await TypeAsync(page, "name", "ops-hook");
        await TypeAsync(page, "url", hookUrl);
        await page.ClickAsync("[data-testid=save-receiver]");

        var row = page.Locator("tr[data-receiver='ops-hook']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-origin", "dashboard", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(row).ToContainTextAsync("URL set");
        await Assertions.Expect(page.Locator("div[data-field=url] input")).ToHaveValueAsync("");

        await row.Locator("[data-testid=test-receiver]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=test-outcome]")).ToHaveAttributeAsync("data-delivered", "true", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(page.Locator("[data-testid=test-outcome]")).ToContainTextAsync("Test notification delivered to ops-hook (1 attempt(s)).");
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/T0-secret-token-4c1d", request.Path);
        Assert.Contains("TestNotification", request.Body, StringComparison.Ordinal);
        var html = await page.ContentAsync();
        Assert.DoesNotContain(hookUrl, html, StringComparison.Ordinal);
        Assert.DoesNotContain("T0-secret-token-4c1d", html, StringComparison.Ordinal);
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "settings-receivers");

        // Alert rules: a threshold over 1 is refused next to its field; 0.9 is saved and marked as changed.
        await page.GotoAsync($"{_server.BaseUrl}/settings/alert-rules");
        await DashboardPage.WaitForInteractivityAsync(page);
        var threshold = page.Locator("[data-setting='InboxRate:Threshold']");
        await Assertions.Expect(threshold.Locator("input")).ToHaveValueAsync("0.8");
        await Assertions.Expect(threshold.Locator("[data-origin]")).ToHaveAttributeAsync("data-origin", "configuration");

        await threshold.Locator("input").FillAsync("1.5");
        await page.ClickAsync("[data-testid=save-InboxRate]");

        await Assertions.Expect(threshold).ToContainTextAsync("must be a share above 0 and at most 1, e.g. 0.8 for 80 % (was 1.5)", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(threshold.Locator("input")).ToHaveValueAsync("1.5");
        await Assertions.Expect(page.Locator("[data-setting='InboxRate:MinMessages']")).Not.ToContainTextAsync("must be");
        await Assertions.Expect(threshold.Locator("[data-origin]")).ToHaveAttributeAsync("data-origin", "configuration");

        await threshold.Locator("input").FillAsync("0.9");
        await page.ClickAsync("[data-testid=save-InboxRate]");

        await Assertions.Expect(threshold.Locator("[data-origin]")).ToHaveAttributeAsync("data-origin", "dashboard", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(threshold).ToContainTextAsync("changed in the dashboard by admin");
        await Assertions.Expect(threshold).ToContainTextAsync("configuration: 0.8");
        await Assertions.Expect(threshold).Not.ToContainTextAsync("must be");
        await Assertions.Expect(page.Locator("[data-setting='InboxRate:MinMessages'] [data-origin]")).ToHaveAttributeAsync("data-origin", "configuration");
        await Assertions.Expect(page.Locator("[data-testid=reset-InboxRate]")).ToBeEnabledAsync();
        await CloseMessagesAsync(page);
        await page.Locator("[data-rule=InboxRate]").ScrollIntoViewIfNeededAsync();
        await DashboardPage.ScreenshotAsync(page, "settings-alert-rules");

        // Still one request: saving a rule sends nothing.
        Assert.Single(_receiver.Requests);
    }

    /// <summary>Fills a form field; leaving it (the next click) commits it, as a person's typing does.</summary>
    private static Task TypeAsync(IPage page, string field, string text) => page.FillAsync($"div[data-field={field}] input", text);

    /// <summary>Closes the snackbars, which would hide parts of the screenshots.</summary>
    private static async Task CloseMessagesAsync(IPage page)
    {
        foreach (var close in await page.Locator(".mud-snackbar button").AllAsync())
        {
            await close.ClickAsync();
        }

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
    }
}
