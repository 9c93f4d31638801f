using System.Net;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>The blacklist and placement features as signal sources of the alert rules, read from their stores.</summary>
public sealed class AlertSignalSourcesTests : StoreFixture
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    [Fact]
    public async Task A_stored_listing_is_a_signal_with_its_since_owning_domain_and_delisting_link()
    {
        var store = new BlacklistStore(Contexts);
        var ip = BlacklistTarget.Parse("192.0.2.10");
        await store.SaveAsync(new BlacklistReport([Listed(ip, BlacklistZones.SpamhausZen), NotListed(ip, BlacklistZones.Barracuda)], []), Time.GetUtcNow());
        var since = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(30));
        await store.SaveAsync(new BlacklistReport([Listed(ip, BlacklistZones.SpamhausZen), NotListed(ip, BlacklistZones.Barracuda)], []), Time.GetUtcNow());
        var monitor = new MonitorOptions { Domains = [new MonitoredDomain { Name = "Shop.Example", SendingIps = ["192.0.2.10"] }] };

        var signals = await new BlacklistAlertSignals(store, new BlacklistTargets(new MonitoredDomainCatalog(Options.Create(monitor), Contexts, Time), Options.Create(new BlacklistOptions())), Options.Create(new BlacklistOptions())).GetSignalsAsync(CancellationToken.None);

        var listing = Assert.IsType<BlacklistListingSignal>(Assert.Single(signals));
        Assert.Equal(("192.0.2.10", true, "zen.spamhaus.org", since, "shop.example", "https://check.spamhaus.org/"),
            (listing.Target, listing.IsIp, listing.Zone, listing.Since, listing.Domain, listing.DelistUrl));
    }

    [Fact]
    public async Task A_refused_answer_after_a_listing_is_no_delisting_and_a_delisting_ends_the_signal()
    {
        var store = new BlacklistStore(Contexts);
        var ip = BlacklistTarget.Parse("192.0.2.11");
        var source = new BlacklistAlertSignals(store, new BlacklistTargets(new MonitoredDomainCatalog(Options.Create(new MonitorOptions()), Contexts, Time), Options.Create(new BlacklistOptions())), Options.Create(new BlacklistOptions()));
        await store.SaveAsync(new BlacklistReport([Listed(ip, BlacklistZones.SpamhausZen)], []), Time.GetUtcNow());

        Time.Advance(TimeSpan.FromMinutes(30));
        var refused = new BlacklistVerdict(ip, BlacklistZones.SpamhausZen, BlacklistStatus.Refused, [IPAddress.Parse("127.255.255.254")], "refused");
        await store.SaveAsync(new BlacklistReport([refused], []), Time.GetUtcNow());
        var afterRefusal = await source.GetSignalsAsync(CancellationToken.None);

        Time.Advance(TimeSpan.FromMinutes(30));
        await store.SaveAsync(new BlacklistReport([NotListed(ip, BlacklistZones.SpamhausZen)], []), Time.GetUtcNow());
        var afterDelisting = await source.GetSignalsAsync(CancellationToken.None);

        Assert.Null(Assert.IsType<BlacklistListingSignal>(Assert.Single(afterRefusal)).Domain);
        Assert.Empty(afterDelisting);
    }

    [Fact]
    public async Task The_latest_run_gives_one_inbox_rate_per_measured_provider()
    {
        var store = new PlacementResultStore(Contexts);
        var finished = Time.GetUtcNow();
        await store.SaveAsync(new PlacementRunReport(Guid.NewGuid(), "mta", finished.AddMinutes(-2), finished,
        [
            Seed("Gmail", SeedPlacementStatus.Inbox),
            Seed("Gmail", SeedPlacementStatus.Spam),
            Seed("Gmail", SeedPlacementStatus.Error),
            Seed("Yahoo", SeedPlacementStatus.Inbox),
            Seed("GMX", SeedPlacementStatus.Error),
        ]));

        var signals = await new PlacementAlertSignals(store).GetSignalsAsync(CancellationToken.None);

        Assert.Equal(
            new[] { ("Gmail", 0.5, 2, finished), ("Yahoo", 1.0, 1, finished) },
            signals.Cast<InboxRateSignal>().OrderBy(s => s.Provider).Select(s => (s.Provider, s.InboxRate, s.Messages, s.Since)));
    }

    [Fact]
    public async Task No_placement_run_yet_gives_no_signal()
    {
        Assert.Empty(await new PlacementAlertSignals(new PlacementResultStore(Contexts)).GetSignalsAsync(CancellationToken.None));
    }

    private static BlacklistVerdict Listed(BlacklistTarget target, BlacklistZone zone) =>
        new(target, zone, BlacklistStatus.Listed, [IPAddress.Parse("127.0.0.2")], "listed") { Meaning = "SBL" };

    private static BlacklistVerdict NotListed(BlacklistTarget target, BlacklistZone zone) => new(target, zone, BlacklistStatus.NotListed, [], "not listed");

    private SeedPlacement Seed(string provider, SeedPlacementStatus status) => new(
        provider, $"seed-{Guid.NewGuid():N}@{provider.ToLowerInvariant()}.test", status, status == SeedPlacementStatus.Spam ? "Junk" : null,
        Time.GetUtcNow().AddMinutes(-1), status is SeedPlacementStatus.Inbox or SeedPlacementStatus.Spam ? Time.GetUtcNow() : null,
        ReceiverAuthentication.None, [], status == SeedPlacementStatus.Error ? "authentication failed" : null);
}
