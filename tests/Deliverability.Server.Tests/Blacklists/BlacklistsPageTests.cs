using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Live;
using Deliverability.Server.Auth;
using Deliverability.Server.Blacklists;
using MudBlazor;

namespace Deliverability.Server.Tests.Blacklists;

/// <summary>
/// bUnit tests of the Blacklists page over the real service: Spamhaus ZEN served by the fixture's DNS server, checked
/// through the real monitor, and a past listing written through the real store.
/// </summary>
public sealed class BlacklistsPageTests : ServiceFixture
{
    private const string Zen = "zen.spamhaus.org";
    private static readonly DateTimeOffset ListedAt = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BlacklistMonitoringTests.ServeLists(Dns.Zone);
        _service = StartService(
        [
            .. BlacklistMonitoringTests.OnlyZones(Zen),
            ("Monitor:Blacklists:Cache:Enabled", "false"),
            ("Monitor:Blacklists:Targets:0", "192.0.2.1"),
            ("Monitor:Blacklists:Targets:1", "192.0.2.2"),
            ("Monitor:Blacklists:Targets:2", "192.0.2.10"),
        ]);
        var monitor = _service.Services.GetRequiredService<BlacklistMonitor>();

        // 192.0.2.2 was listed for 2 h 15 min last week (written through the store), then the real check finds it clean.
        var zen = monitor.Zones.Single(z => z.Name == Zen);
        var store = _service.Services.GetRequiredService<BlacklistStore>();
        var earlier = new BlacklistVerdict(BlacklistTarget.Parse("192.0.2.2"), zen, BlacklistStatus.Listed, [IPAddress.Parse("127.0.0.3")], "listed") { Meaning = "SBL CSS" };
        await store.SaveAsync(new BlacklistReport([earlier], []), ListedAt);
        await store.SaveAsync(new BlacklistReport([earlier with { Status = BlacklistStatus.NotListed, Codes = [] }], []), ListedAt.AddMinutes(135));
        await monitor.CheckAllAsync(CancellationToken.None);

        _context = PageContext.Over(_service.Services);
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void Viewer_sees_each_target_on_each_list_with_codes_and_since_when_and_a_refusal_is_not_a_listing()
    {
        AsViewer();

        var page = _context.Render<BlacklistsPage>();

        var listed = page.WaitForElement("tr[data-target='192.0.2.1'] td[data-zone='zen.spamhaus.org']", TimeSpan.FromSeconds(30));
        Assert.Equal("listed", listed.QuerySelector(".status-pill")!.TextContent);
        Assert.Contains("status-error", listed.QuerySelector(".status-pill")!.ClassList);
        Assert.Matches(@"127\.0\.0\.2, 127\.0\.0\.4 since \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", listed.TextContent);
        Assert.Contains("SBL", listed.QuerySelector(".status-pill")!.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal("not listed", Pill(page, "192.0.2.2").TextContent);
        Assert.Equal("refused", Pill(page, "192.0.2.10").TextContent);
        Assert.Contains("status-warning", Pill(page, "192.0.2.10").ClassList);
        Assert.Equal(["3", "1", "1", "1", "1", "0"], page.FindAll("[data-counter]").Select(c => c.TextContent.Trim()));
        Assert.Equal("1", page.Find("tr[data-target='192.0.2.1']").GetAttribute("data-listed-on"));
        Assert.Single(page.FindAll("tr[data-listing]"));
        Assert.Contains("https://check.spamhaus.org/", page.Find("tr[data-listing]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Zone_health_shows_the_self_test_rate_limit_and_todays_use_of_the_daily_cap()
    {
        AsViewer();

        var page = _context.Render<BlacklistsPage>();

        var zone = page.WaitForElement(".zones tr[data-zone='zen.spamhaus.org']", TimeSpan.FromSeconds(30));
        Assert.Equal("healthy", zone.QuerySelector(".status-pill")!.TextContent);
        Assert.Contains("10/s", zone.TextContent, StringComparison.Ordinal);
        // Three targets plus the self-test's two probes and one TXT for the listing reached DNS.
        var used = zone.QuerySelector("[data-testid=used-today]")!.TextContent;
        Assert.Matches(@"^[1-9]\d* / 50,000 \(", used);
    }

    [Fact]
    public void History_lists_listings_and_delistings_newest_first_with_how_long_they_lasted_and_filters_by_target()
    {
        AsViewer();
        var page = _context.Render<BlacklistsPage>();
        page.WaitForElement(".events", TimeSpan.FromSeconds(30));

        Assert.Equal(
            [("listed", "192.0.2.1"), ("delisted", "192.0.2.2"), ("listed", "192.0.2.2")],
            page.FindAll(".events tr[data-event]").Select(r => (r.GetAttribute("data-event")!, r.GetAttribute("data-target")!)));
        Assert.Equal("2 h 15 min", page.Find("tr[data-event=delisted] [data-testid=duration]").TextContent);

        page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("192.0.2.2"));

        page.WaitForAssertion(() => Assert.Equal(["192.0.2.2", "192.0.2.2"], page.FindAll(".events tr[data-event]").Select(r => r.GetAttribute("data-target"))), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Viewer_sees_the_check_buttons_disabled_or_absent()
    {
        AsViewer();

        var page = _context.Render<BlacklistsPage>();

        Assert.True(page.WaitForElement("[data-testid=check-all]", TimeSpan.FromSeconds(30)).HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=check-target]"));
    }

    [Fact]
    public void Operator_checks_one_target_now_and_a_new_listing_appears()
    {
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<BlacklistsPage>();
        page.WaitForElement("tr[data-target='192.0.2.2'] [data-testid=check-target]", TimeSpan.FromSeconds(30));

        Dns.Zone.A("2.2.0.192.zen.spamhaus.org", "127.0.0.3");
        page.Find("tr[data-target='192.0.2.2'] [data-testid=check-target]").Click();

        page.WaitForAssertion(() => Assert.Equal("listed", Pill(page, "192.0.2.2").TextContent), TimeSpan.FromSeconds(30));
        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        Assert.Contains("Checked 1 target: 1 listing, 0 without a verdict, 1 change.", snackbar.ShownSnackbars.Select(s => s.Message));
    }

    [Fact]
    public void Check_is_refused_on_the_server_to_a_viewer_even_when_the_button_is_pressed()
    {
        // As if the circuit were scripted: the buttons are shown, but the user holds only the Viewer role.
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<BlacklistsPage>();
        Dns.Zone.A("2.2.0.192.zen.spamhaus.org", "127.0.0.3");

        page.WaitForElement("[data-testid=check-all]", TimeSpan.FromSeconds(30)).Click();

        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        page.WaitForAssertion(() => Assert.Contains("Only Operators and administrators can run a blacklist check.", snackbar.ShownSnackbars.Select(s => s.Message)), TimeSpan.FromSeconds(30));
        Assert.Equal("not listed", Pill(page, "192.0.2.2").TextContent);
    }

    [Fact]
    public async Task A_listing_found_by_a_check_elsewhere_reaches_an_open_page_live()
    {
        AsViewer();
        var page = _context.Render<BlacklistsPage>();
        page.WaitForElement("tr[data-target='192.0.2.2']", TimeSpan.FromSeconds(30));

        Dns.Zone.A("2.2.0.192.zen.spamhaus.org", "127.0.0.3");
        var response = await _service.CreateClient().PostAsync("/api/blacklists/check", null);
        response.EnsureSuccessStatusCode();

        page.WaitForAssertion(() => Assert.Equal("listed", Pill(page, "192.0.2.2").TextContent), TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Equal("listed", page.Find(".events tr[data-event]").GetAttribute("data-event")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Page_listens_to_listings_only_while_it_is_shown()
    {
        AsViewer();
        var listings = _service.Services.GetRequiredService<LiveFeed<BlacklistChanged>>();
        var before = listings.SubscriberCount;

        var page = _context.Render<BlacklistsPage>();
        page.WaitForAssertion(() => Assert.Equal(before + 1, listings.SubscriberCount), TimeSpan.FromSeconds(30));
        await _context.DisposeComponentsAsync();

        Assert.Equal(before, listings.SubscriberCount);
    }

    [Fact]
    public async Task Page_and_api_say_the_same()
    {
        var board = await _service.Services.GetRequiredService<BlacklistBoard>().GetOverviewAsync(CancellationToken.None);

        var api = (await _service.CreateClient().GetFromJsonAsync<BlacklistOverviewDto>("/api/blacklists"))!;

        Assert.Equal(board.Summary, api.Summary);
        Assert.Equal(board.Zones, api.Zones);
        Assert.Equal(
            board.Targets.SelectMany(t => t.Results.Select(r => (t.Target, r.Zone, r.Status, r.State, r.ListedSince, string.Join(",", r.Codes)))),
            api.Targets.SelectMany(t => t.Results.Select(r => (t.Target, r.Zone, r.Status, r.State, r.ListedSince, string.Join(",", r.Codes)))));
    }

    private void AsViewer()
    {
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        _context.Render<MudPopoverProvider>();
    }

    private static AngleSharp.Dom.IElement Pill(IRenderedComponent<BlacklistsPage> page, string target) =>
        page.Find($"tr[data-target='{target}'] td[data-zone='{Zen}'] .status-pill");
}
