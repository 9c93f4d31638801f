using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Deliverability.Server.Auth;
using Deliverability.Testing.Dns;

namespace Deliverability.Browser.Tests;

/// <summary>
/// Sign-in in a real browser: a one-time password leads to My password and nowhere else until it is replaced, the new
/// password keeps the session; and what is typed into the dashboard's secret fields never reaches the logs, even with
/// every category at Trace.
/// </summary>
public sealed class SignInTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string OneTime = "One-time-password-42";
    private const string Chosen = "Chosen-password-2026";
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        _server = new DashboardServer(_dns.Endpoint);
        // Every category at Trace, as an operator chasing a problem would set it.
        _server.ExtraSettings["Logging:LogLevel:Default"] = "Trace";
        _server.ExtraSettings["Logging:LogLevel:Microsoft"] = "Trace";
        _server.ExtraSettings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        _server.ExtraSettings["Logging:LogLevel:Microsoft.AspNetCore.SignalR"] = "Trace";
        _server.ExtraSettings["Logging:LogLevel:Microsoft.AspNetCore.Components"] = "Trace";
        _server.ExtraSettings["Auth:RevalidationInterval"] = "00:00:01";
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Name"] = "mta";
        _server.ExtraSettings["Monitor:Placement:SendPaths:0:Host"] = "127.0.0.1";
        _server.ExtraSettings["Monitor:Placement:Message:From"] = "Shop <news@shop.test>";
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task A_one_time_password_leads_to_my_password_until_it_is_replaced_and_the_new_one_keeps_the_session()
    {
        await _server.AddUserAsync("nina", MonitorRoles.Operator, OneTime, oneTime: true);

        var page = await DashboardPage.SubmitSignInAsync(chromium.Browser, _server, "nina", OneTime);
        Assert.EndsWith("/account/password", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=must-change]")).ToBeVisibleAsync();

        await page.GotoAsync($"{_server.BaseUrl}/alerts");
        Assert.EndsWith("/account/password", page.Url, StringComparison.Ordinal);

        await DashboardPage.ChangePasswordAsync(page, OneTime, Chosen);
        await page.WaitForURLAsync(url => !url.Contains("/account/password", StringComparison.Ordinal));
        await DashboardPage.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.Locator("[data-user=nina]")).ToBeVisibleAsync();

        // Past Auth:RevalidationInterval the cookie is checked against the store: the refreshed one still holds.
        await page.WaitForTimeoutAsync(1500);
        await page.GotoAsync($"{_server.BaseUrl}/alerts");
        await DashboardPage.WaitForInteractivityAsync(page);
        Assert.EndsWith("/alerts", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-user=nina]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Secrets_typed_into_the_dashboard_never_reach_the_logs_even_at_trace()
    {
        const string imapPassword = "Imap-secret-7f3a-typed";
        const string smtpPassword = "Smtp-secret-91c2-typed";
        const string urlToken = "Hook-secret-4c1d-typed";
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "admin");

        await page.GotoAsync($"{_server.BaseUrl}/settings/placement");
        await DashboardPage.WaitForInteractivityAsync(page);
        await page.FillAsync("div[data-field=imap-password] input", imapPassword);
        await page.ClickAsync("[data-testid=save-seed]");
        await Assertions.Expect(page.Locator("[data-testid=seed-form] .mud-input-error").First).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await page.FillAsync("div[data-field=path-password] input", smtpPassword);
        await page.ClickAsync("[data-testid=save-send-path]");
        await Assertions.Expect(page.Locator("[data-testid=send-path-form] .mud-input-error").First).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });

        await page.GotoAsync($"{_server.BaseUrl}/settings/receivers");
        await DashboardPage.WaitForInteractivityAsync(page);
        await page.FillAsync("div[data-field=url] input", $"http://127.0.0.1:9/hooks/{urlToken}");
        await page.ClickAsync("[data-testid=save-receiver]");
        await Assertions.Expect(page.Locator("[data-testid=receiver-form] .mud-input-error").First).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });

        await page.GotoAsync($"{_server.BaseUrl}/settings/users");
        await DashboardPage.WaitForInteractivityAsync(page);
        await page.FillAsync("div[data-field=user-name] input", "tom");
        await page.ClickAsync("[data-testid=add-user]");
        var shown = page.Locator("[data-testid=one-time-password] code");
        await Assertions.Expect(shown).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        var tomsPassword = await shown.InnerTextAsync();

        // The levels were on: the framework did log its trace entries.
        Assert.Contains(_server.Logs.Entries, e => e.Level == LogLevel.Trace && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        AssertNotLogged(imapPassword, smtpPassword, urlToken, tomsPassword, DashboardServer.Password);

        await page.GotoAsync($"{_server.BaseUrl}/account/password");
        await DashboardPage.ChangePasswordAsync(page, DashboardServer.Password, Chosen);
        await Assertions.Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();

        AssertNotLogged(Chosen);
    }

    private void AssertNotLogged(params string[] secrets)
    {
        var entries = _server.Logs.Entries;
        foreach (var secret in secrets)
        {
            var logging = entries.Where(e => e.AllText.Contains(secret, StringComparison.Ordinal)).Select(e => $"{e.Category} ({e.Level}): {e.Message[..Math.Min(e.Message.Length, 200)]}").Distinct().ToArray();
            Assert.True(logging.Length == 0, $"'{secret}' was logged by:\n{string.Join("\n", logging)}");
        }
    }
}
