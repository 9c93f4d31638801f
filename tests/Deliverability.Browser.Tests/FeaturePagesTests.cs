using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Placement;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The Blacklists and Placement pages in a real browser: Spamhaus ZEN served by a real DNS server, seed mailboxes in a
/// real Dovecot reached through a real SMTP server, all on 127.0.0.1.
/// </summary>
public sealed class FeaturePagesTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Domain = "shop.test";
    private TestDnsServer _dns = null!;
    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        // ZEN lists the shop's first sending IP (SBL and XBL) and not the second; its self-test probes answer as RFC 5782 says.
        _dns = TestDnsServer.Start(new TestZone()
            .Txt(Domain, "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 -all")
            .A("2.0.0.127.zen.spamhaus.org", "127.0.0.2")
            .A("1.2.0.192.zen.spamhaus.org", "127.0.0.2").A("1.2.0.192.zen.spamhaus.org", "127.0.0.4")
            .Txt("1.2.0.192.zen.spamhaus.org", "https://check.spamhaus.org/sbl/query/SBL1"));
        _imap = await TestImapServer.StartAsync([("alice", "alice-pw"), ("bob", "bob-pw"), ("carol", "carol-pw")]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute>
        {
            ["alice@gmail.test"] = SeedRoute.File("alice") with { PrependHeaders = ["Authentication-Results: mx.gmail.test; spf=pass; dkim=pass; dmarc=pass"] },
            ["bob@yahoo.test"] = SeedRoute.File("bob", "Junk") with { PrependHeaders = ["Authentication-Results: mx.yahoo.test; spf=pass; dkim=fail; dmarc=fail"] },
            ["carol@outlook.test"] = SeedRoute.File("carol") with { Delay = TimeSpan.FromSeconds(1) },
        });
        _server = new DashboardServer(_dns.Endpoint, Domain);
        foreach (var (key, value) in Settings())
        {
            _server.ExtraSettings[key] = value;
        }

        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
        await _imap.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Operator_checks_the_blacklists_and_runs_a_placement_test_and_both_pages_show_the_results()
    {
        // Last week's listing of the second IP, 3 h 20 min long, written through the real store for the history.
        var store = _server.Services.GetRequiredService<BlacklistStore>();
        var zen = _server.Services.GetRequiredService<BlacklistMonitor>().Zones.Single();
        var earlier = new BlacklistVerdict(BlacklistTarget.Parse("192.0.2.2"), zen, BlacklistStatus.Listed, [IPAddress.Parse("127.0.0.3")], "listed") { Meaning = "SBL: Spamhaus CSS" };
        var listedAt = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(new BlacklistReport([earlier], []), listedAt);
        await store.SaveAsync(new BlacklistReport([earlier with { Status = BlacklistStatus.NotListed, Codes = [] }], []), listedAt.AddMinutes(200));

        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator");
        await page.GotoAsync($"{_server.BaseUrl}/blacklists");
        await DashboardPage.WaitForInteractivityAsync(page);
        await page.ClickAsync("[data-testid=check-all]");

        var listed = page.Locator("tr[data-target='192.0.2.1'] td[data-zone='zen.spamhaus.org']");
        await Assertions.Expect(listed.Locator("[data-status=listed]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(listed).ToContainTextAsync("127.0.0.2, 127.0.0.4 since");
        await Assertions.Expect(page.Locator("tr[data-target='192.0.2.2'] [data-status=not_listed]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".zones tr[data-zone='zen.spamhaus.org'] [data-status=healthy]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-event=delisted] [data-testid=duration]")).ToHaveTextAsync("3 h 20 min");
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "blacklists");

        // Yesterday's run had everything in the inbox; the one run now from the page finds Yahoo's seed in spam.
        var at = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        await _server.Services.GetRequiredService<PlacementResultStore>().SaveAsync(new PlacementRunReport(Guid.NewGuid(), "mta", at, at.AddSeconds(20),
        [
            new SeedPlacement("Gmail", "alice@gmail.test", SeedPlacementStatus.Inbox, "INBOX", at, at.AddSeconds(4), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
            new SeedPlacement("Yahoo", "bob@yahoo.test", SeedPlacementStatus.Inbox, "INBOX", at, at.AddSeconds(6), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
            new SeedPlacement("Outlook", "carol@outlook.test", SeedPlacementStatus.Inbox, "INBOX", at, at.AddSeconds(9), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
        ]));
        await page.GotoAsync($"{_server.BaseUrl}/placement");
        await DashboardPage.WaitForInteractivityAsync(page);
        await page.ClickAsync("[data-testid=run-placement]");

        await Assertions.Expect(page.Locator("tr[data-seed='bob@yahoo.test'][data-placement=spam]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("tr[data-seed='alice@gmail.test'][data-placement=inbox]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=inbox-change]")).ToHaveTextAsync("−33.3 pts since the previous run (100%)");
        await Assertions.Expect(page.Locator("[data-testid=run-strip] button[data-run]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=run-placement]")).ToBeEnabledAsync(new() { Timeout = DashboardPage.Patience });
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "placement");

        // The Overview's readiness row: listed on one list, and the placement run's inbox rate under the alert threshold.
        await page.GotoAsync(_server.BaseUrl + "/");
        var row = page.Locator($"tr[data-domain='{Domain}']");
        await Assertions.Expect(row.Locator("[data-testid=blacklists]")).ToHaveTextAsync("listed on 1", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(row.Locator("[data-testid=placement]")).ToHaveTextAsync("66.7% inbox");
    }

    /// <summary>Closes the snackbars, which would hide the buttons in the screenshots.</summary>
    private static async Task CloseMessagesAsync(IPage page)
    {
        foreach (var close in await page.Locator(".mud-snackbar button").AllAsync())
        {
            await close.ClickAsync();
        }

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
    }

    private IEnumerable<(string, string?)> Settings()
    {
        (string, string?)[] settings =
        [
            ("Monitor:Domains:0:SendingIps:0", "192.0.2.1"),
            ("Monitor:Domains:0:SendingIps:1", "192.0.2.2"),
            ("Monitor:Blacklists:FirstRunDelay", "01:00:00"),
            ("Monitor:Blacklists:Cache:Enabled", "false"),
            ("Monitor:Placement:SendPaths:0:Name", "mta"),
            ("Monitor:Placement:SendPaths:0:Host", _smtp.Host),
            ("Monitor:Placement:SendPaths:0:Port", _smtp.Port.ToString(CultureInfo.InvariantCulture)),
            ("Monitor:Placement:SendPaths:0:Security", "none"),
            ("Monitor:Placement:Message:From", "Shop <news@shop.test>"),
            ("Monitor:Placement:Timeout", "00:00:30"),
            ("Monitor:Placement:PollInterval", "00:00:00.500"),
        ];
        var seeds = new[] { ("Gmail", "alice@gmail.test", "alice"), ("Yahoo", "bob@yahoo.test", "bob"), ("Outlook", "carol@outlook.test", "carol") };
        var seedSettings = seeds.SelectMany((s, i) => new (string, string?)[]
        {
            ($"Monitor:Placement:Seeds:{i}:Provider", s.Item1),
            ($"Monitor:Placement:Seeds:{i}:Address", s.Item2),
            ($"Monitor:Placement:Seeds:{i}:Imap:Host", _imap.Host),
            ($"Monitor:Placement:Seeds:{i}:Imap:Port", _imap.Port.ToString(CultureInfo.InvariantCulture)),
            ($"Monitor:Placement:Seeds:{i}:Imap:Security", "none"),
            ($"Monitor:Placement:Seeds:{i}:Imap:User", s.Item3),
            ($"Monitor:Placement:Seeds:{i}:Imap:Password", s.Item3 + "-pw"),
        });
        var onlyZen = BlacklistZones.Defaults.Where(z => z.Name != "zen.spamhaus.org").SelectMany((z, i) => new (string, string?)[]
        {
            ($"Monitor:Blacklists:Zones:{i}:Zone", z.Name),
            ($"Monitor:Blacklists:Zones:{i}:Enabled", "false"),
        });
        return [.. settings, .. seedSettings, .. onlyZen];
    }
}
