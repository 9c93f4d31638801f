using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Placement;
using Deliverability.Server.Auth;
using Deliverability.Server.Overview;
using Deliverability.Server.Tests.Blacklists;
using MudBlazor;

namespace Deliverability.Server.Tests.Overview;

/// <summary>
/// The Overview's Blacklists and Placement columns: blacklist results from a real check against ZEN on the fixture's
/// DNS server, placement runs written through the real store, read by <see cref="ReadinessBoard"/>.
/// </summary>
public sealed class ReadinessTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BlacklistMonitoringTests.ServeLists(Dns.Zone);
        _service = StartService(
        [
            .. BlacklistMonitoringTests.OnlyZones("zen.spamhaus.org"),
            ("Monitor:Domains:0:Name", "shop.test"),
            ("Monitor:Domains:0:SendingIps:0", "192.0.2.1"),
            ("Monitor:Domains:1:Name", "clean.test"),
            ("Monitor:Domains:1:SendingIps:0", "192.0.2.2"),
            ("Monitor:Domains:2:Name", "new.test"),
            ("Monitor:Domains:3:Name", "refused.test"),
            ("Monitor:Domains:3:SendingIps:0", "192.0.2.10"),
            ("Monitor:Placement:Message:From", "Shop <news@mail.shop.test>"),
        ]);
        _context = PageContext.Over(_service.Services);
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Blacklists_column_counts_listings_of_the_domain_and_its_sending_ips_and_says_when_nothing_was_checked_or_no_list_answered()
    {
        var board = _service.Services.GetRequiredService<ReadinessBoard>();
        var before = await board.GetAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await _service.Services.GetRequiredService<BlacklistMonitor>().CheckAllAsync(CancellationToken.None);

        var after = await board.GetAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(0, before.BlacklistsOf("shop.test").Checked);
        Assert.Equal((1, 1, "192.0.2.1"), (after.BlacklistsOf("shop.test").Listings, after.BlacklistsOf("shop.test").Checked, Assert.Single(after.BlacklistsOf("shop.test").ListedTargets)));
        Assert.Equal((0, 1), (after.BlacklistsOf("clean.test").Listings, after.BlacklistsOf("clean.test").Checked));
        Assert.Equal(0, after.BlacklistsOf("new.test").Checked); // a domain name, and no domain list is enabled
        Assert.Equal("listed on 1", Cell(after.BlacklistsOf("shop.test")).TextContent);
        Assert.Contains("status-error", Cell(after.BlacklistsOf("shop.test")).ClassList);
        Assert.Equal("ok", Cell(after.BlacklistsOf("clean.test")).TextContent);
        Assert.Equal("not checked", Cell(after.BlacklistsOf("new.test")).TextContent);
        Assert.Equal((1, 0), (after.BlacklistsOf("refused.test").Checked, after.BlacklistsOf("refused.test").Verdicts)); // ZEN refused 192.0.2.10
        Assert.Equal("no verdict", Cell(after.BlacklistsOf("refused.test")).TextContent);
    }

    [Fact]
    public async Task Placement_column_shows_the_latest_runs_inbox_rate_on_the_domain_the_tests_are_sent_from()
    {
        var board = _service.Services.GetRequiredService<ReadinessBoard>();
        var before = await board.GetAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var store = _service.Services.GetRequiredService<PlacementResultStore>();
        var at = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(Run(at, SeedPlacementStatus.Inbox));
        await store.SaveAsync(Run(at.AddHours(6), SeedPlacementStatus.Spam));

        var after = await board.GetAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("no run", PlacementCell(before, "shop.test").TextContent.Trim());
        Assert.Equal("shop.test", after.PlacementDomain); // news@mail.shop.test: its closest monitored parent
        var shop = after.PlacementOf("shop.test")!;
        Assert.Equal((0.5, true), (shop.InboxRate, shop.BelowThreshold)); // under the InboxRate alert's 0.8
        Assert.Equal("50% inbox", PlacementCell(after, "shop.test").TextContent.Trim());
        Assert.Contains("status-error", PlacementCell(after, "shop.test").QuerySelector(".status-pill")!.ClassList);
        Assert.Equal("not tested", PlacementCell(after, "clean.test").TextContent.Trim());
    }

    [Fact]
    public async Task Open_dashboards_share_one_snapshot_until_a_newer_event_asks_for_a_newer_one()
    {
        var board = _service.Services.GetRequiredService<ReadinessBoard>();
        var first = await board.GetAsync(DateTimeOffset.UtcNow.AddSeconds(-5), CancellationToken.None);

        var second = await board.GetAsync(DateTimeOffset.UtcNow.AddSeconds(-5), CancellationToken.None);
        await _service.Services.GetRequiredService<BlacklistMonitor>().CheckAllAsync(CancellationToken.None);
        var afterEvent = await board.GetAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Same(first, second);
        Assert.NotSame(first, afterEvent);
        Assert.Equal(1, afterEvent.BlacklistsOf("shop.test").Listings);
    }

    [Theory]
    [InlineData("Shop <news@shop.test>", "shop.test")]
    [InlineData("news@mail.shop.test", "mail.shop.test")]         // the exact domain wins over its parent
    [InlineData("news@deep.mail.shop.test", "mail.shop.test")]    // the closest monitored parent
    [InlineData("news@other.test", null)]
    [InlineData("", null)]
    public void Placement_domain_is_the_from_domain_or_its_closest_monitored_parent(string from, string? expected)
    {
        Assert.Equal(expected, ReadinessBoard.PlacementDomain(from, ["shop.test", "mail.shop.test", "clean.test"]));
    }

    [Fact]
    public async Task Overview_shows_the_measured_cells_and_no_column_without_data()
    {
        await _service.Services.GetRequiredService<BlacklistMonitor>().CheckAllAsync(CancellationToken.None);
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal("listed on 1", page.Find("tr[data-domain='shop.test'] [data-testid=blacklists]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal("ok", page.Find("tr[data-domain='clean.test'] [data-testid=blacklists]").TextContent.Trim());
        Assert.Equal("no run", page.Find("tr[data-domain='shop.test'] [data-testid=placement]").TextContent.Trim());
        // Only what is measured has a column: no placeholder that could only ever say "pending".
        Assert.Equal(["Domain", "Authentication", "Errors / warnings", "Blacklists", "Placement", "Last audit"], page.FindAll(".readiness th").Select(th => th.TextContent.Trim()));
    }

    private AngleSharp.Dom.IElement Cell(BlacklistReadiness readiness) =>
        _context.Render<BlacklistCell>(p => p.Add(c => c.Readiness, readiness)).Find(".status-pill");

    private AngleSharp.Dom.IElement PlacementCell(ReadinessSnapshot snapshot, string domain) =>
        _context.Render<PlacementCell>(p => p.Add(c => c.Readiness, snapshot).Add(c => c.Domain, domain)).Find("*");

    private static PlacementRunReport Run(DateTimeOffset at, SeedPlacementStatus second) => new(Guid.NewGuid(), "mta", at, at.AddSeconds(30),
    [
        new SeedPlacement("Gmail", "a@gmail.test", SeedPlacementStatus.Inbox, "INBOX", at, at.AddSeconds(2), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
        new SeedPlacement("Yahoo", "b@yahoo.test", second, null, at, at.AddSeconds(2), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
    ]);
}
