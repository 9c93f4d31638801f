using Microsoft.Extensions.Options;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;

namespace Deliverability.Core.Tests.Blacklists;

/// <summary>The one derivation of a monitored domain's blacklist targets, and the monitored-domain list they come from.</summary>
public sealed class BlacklistTargetsTests : StoreFixture
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    [Fact]
    public void A_domain_gives_its_name_return_path_and_signing_domains_then_its_ips_each_once_in_stored_form()
    {
        var domain = new MonitoredDomain
        {
            Name = "Bücher.Example.",
            ReturnPathDomain = "bounce.bücher.example",
            DkimSigningDomain = "XN--BCHER-KVA.example",
            SendingIps = ["192.0.2.1", " 192.0.2.1 ", "2001:DB8::1"],
        };

        var targets = BlacklistTargets.Of(domain);

        Assert.Equal(["xn--bcher-kva.example", "bounce.xn--bcher-kva.example", "192.0.2.1", "2001:db8::1"], targets.Select(t => t.Text));
        Assert.Equal([BlacklistZoneKind.Domain, BlacklistZoneKind.Domain, BlacklistZoneKind.Ip, BlacklistZoneKind.Ip], targets.Select(t => t.Kind));
    }

    [Fact]
    public void A_domain_without_optional_names_or_ips_gives_its_name_alone()
    {
        Assert.Equal(["shop.example"], BlacklistTargets.Of(new MonitoredDomain { Name = "shop.example", ReturnPathDomain = " " }).Select(t => t.Text));
    }

    [Fact]
    public async Task Configured_and_dashboard_domains_are_one_list_whose_targets_know_their_owner()
    {
        var monitor = new MonitorOptions { Domains = [new MonitoredDomain { Name = "Bücher.Example", SendingIps = ["192.0.2.1"] }] };
        var catalog = new MonitoredDomainCatalog(Options.Create(monitor), Contexts, Time);
        var blacklists = new BlacklistOptions { Targets = ["198.51.100.7", "192.0.2.1"] };
        var targets = new BlacklistTargets(catalog, Options.Create(blacklists));

        // Before the first read of the database: the configured domains, already in A-label form.
        Assert.Equal(["xn--bcher-kva.example", "192.0.2.1", "198.51.100.7"], targets.Current.Select(t => t.Text));
        Assert.Equal("xn--bcher-kva.example", targets.OwnerOf("192.0.2.1"));
        Assert.Null(targets.OwnerOf("198.51.100.7"));

        Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "Shop.Example", SendingIps = ["192.0.2.2"] }, "admin", CancellationToken.None));
        var refreshed = await targets.RefreshAsync(CancellationToken.None);

        Assert.Equal(["xn--bcher-kva.example", "192.0.2.1", "shop.example", "192.0.2.2", "198.51.100.7"], refreshed.Select(t => t.Text));
        Assert.Equal("shop.example", targets.OwnerOf("192.0.2.2"));
        Assert.Equal(
            (await catalog.GetAllAsync(CancellationToken.None)).SelectMany(d => BlacklistTargets.Of(d.Domain)).Select(t => t.Text),
            refreshed.Take(4).Select(t => t.Text));
    }

    [Fact]
    public async Task A_u_label_and_its_a_label_are_one_monitored_domain()
    {
        var monitor = new MonitorOptions { Domains = [new MonitoredDomain { Name = "bücher.example" }] };
        var catalog = new MonitoredDomainCatalog(Options.Create(monitor), Contexts, Time);

        Assert.False(await catalog.AddAsync(new MonitoredDomain { Name = "XN--BCHER-KVA.example." }, "admin", CancellationToken.None));
        Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "Straße.Example" }, "admin", CancellationToken.None));

        var found = await catalog.FindAsync(DomainName.Parse("xn--strae-oqa.example"), CancellationToken.None);
        Assert.Equal(("xn--strae-oqa.example", "straße.example", DomainOrigin.Dashboard), (found!.Name.Ascii, found.Name.Unicode, found.Origin));
        Assert.Equal(["xn--bcher-kva.example", "xn--strae-oqa.example"], (await catalog.GetAllAsync(CancellationToken.None)).Select(d => d.Domain.Name));
        Assert.True(await catalog.RemoveAsync(DomainName.Parse("straße.example"), CancellationToken.None));
    }
}
