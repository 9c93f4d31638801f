using System.Net;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Monitoring;

namespace Deliverability.Core.Tests.Blacklists;

public sealed class BlacklistConfigurationTests
{
    [Fact]
    public void No_zone_entries_means_the_default_set()
    {
        Assert.Equal(BlacklistZones.Defaults, BlacklistConfiguration.Zones(new BlacklistOptions()));
    }

    [Fact]
    public void Default_zone_can_be_disabled()
    {
        var zones = BlacklistConfiguration.Zones(Options(new BlacklistZoneOptions { Zone = "bl.spamcop.net", Enabled = false }));

        Assert.DoesNotContain(zones, z => z.Name == "bl.spamcop.net");
        Assert.Equal(BlacklistZones.Defaults.Count - 1, zones.Count);
    }

    [Fact]
    public void Default_zone_codes_can_be_replaced_keeping_its_refusals_title_and_delisting_link()
    {
        var zen = BlacklistConfiguration.Zones(Options(new BlacklistZoneOptions { Zone = "zen.spamhaus.org=127.0.0.2-127.0.0.7" })).Single(z => z.Name == "zen.spamhaus.org");

        Assert.Equal(BlacklistAnswerKind.Listing, zen.Decode(IPAddress.Parse("127.0.0.5")).Kind);
        Assert.Contains("meaning not known", zen.Decode(IPAddress.Parse("127.0.0.10")).Meaning, StringComparison.Ordinal);
        Assert.Equal(BlacklistAnswerKind.Refusal, zen.Decode(IPAddress.Parse("127.255.255.254")).Kind);
        Assert.Contains("public or open resolver", zen.Decode(IPAddress.Parse("127.255.255.254")).Meaning, StringComparison.Ordinal);
        Assert.Equal("Spamhaus ZEN", zen.DisplayName);
        Assert.Equal("https://check.spamhaus.org/", zen.DelistUrl);
    }

    [Fact]
    public void Meanings_override_a_default_zone_code_meaning()
    {
        var zen = BlacklistConfiguration.Zones(Options(new BlacklistZoneOptions { Zone = "zen.spamhaus.org", Meanings = ["127.0.0.10=PBL: our office range, expected"] }))
            .Single(z => z.Name == "zen.spamhaus.org");

        Assert.Equal("PBL: our office range, expected", zen.Decode(IPAddress.Parse("127.0.0.10")).Meaning);
        Assert.StartsWith("SBL", zen.Decode(IPAddress.Parse("127.0.0.2")).Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_ip_and_domain_zones_are_added_after_the_defaults_with_their_budget()
    {
        var zones = BlacklistConfiguration.Zones(Options(
            new BlacklistZoneOptions { Zone = "bl.example=127.0.0.2", Title = "Our IP list", DelistUrl = "https://bl.example/remove", RateLimitPerSecond = 1, DailyCap = 500 },
            new BlacklistZoneOptions { Zone = "domain:rhs.example=127.0.0.2,127.0.0.3", Meanings = ["127.0.0.3=phishing"] }));

        var ip = zones[^2];
        var domain = zones[^1];
        Assert.Equal(("bl.example", BlacklistZoneKind.Ip, "Our IP list", "https://bl.example/remove", 1.0, 500), (ip.Name, ip.Kind, ip.DisplayName, ip.DelistUrl, ip.RateLimitPerSecond, ip.DailyCap));
        Assert.Equal(("rhs.example", BlacklistZoneKind.Domain), (domain.Name, domain.Kind));
        Assert.Equal("phishing", domain.Decode(IPAddress.Parse("127.0.0.3")).Meaning);
        Assert.Equal((BlacklistZones.DefaultRateLimitPerSecond, BlacklistZones.DefaultDailyCap), (domain.RateLimitPerSecond, domain.DailyCap));
    }

    [Fact]
    public void Budget_of_a_default_zone_can_be_changed()
    {
        var uribl = BlacklistConfiguration.Zones(Options(new BlacklistZoneOptions { Zone = "multi.uribl.com", DailyCap = 200, RateLimitPerSecond = 0.5 }))
            .Single(z => z.Name == "multi.uribl.com");

        Assert.Equal((0.5, 200), (uribl.RateLimitPerSecond, uribl.DailyCap));
        Assert.True(uribl.IsBitmask);
    }

    [Fact]
    public void Default_budgets_stay_under_the_lists_free_use()
    {
        Assert.Equal(1_000, BlacklistZones.Uribl.DailyCap);
        Assert.Equal(5_000, BlacklistZones.Surbl.DailyCap);
        Assert.True(BlacklistZones.SpamhausZen.DailyCap + BlacklistZones.SpamhausDbl.DailyCap <= 100_000);
    }

    [Theory]
    [InlineData("my.list.example", "Monitor:Blacklists:Zones:0:Zone: zone 'my.list.example' is not a default list")]
    [InlineData("domain:zen.spamhaus.org", "Monitor:Blacklists:Zones:0:Zone: zone 'domain:zen.spamhaus.org': zen.spamhaus.org is a default IP list, not a domain list")]
    [InlineData("bl.example=10.0.0.2", "Monitor:Blacklists:Zones:0:Zone: 'bl.example=10.0.0.2': '10.0.0.2' is not a return code")]
    public void Bad_zone_is_named_by_its_key(string zone, string expected)
    {
        var problems = BlacklistConfiguration.Validate(Options(new BlacklistZoneOptions { Zone = zone }));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/path")]
    public void Delist_url_that_is_not_a_web_page_is_refused(string url)
    {
        var problems = BlacklistConfiguration.Validate(Options(new BlacklistZoneOptions { Zone = "bl.example=127.0.0.2", DelistUrl = url }));

        Assert.Contains($"Monitor:Blacklists:Zones:0:DelistUrl: '{url}' is not an absolute http:// or https:// URL", problems);
    }

    [Fact]
    public void Every_problem_of_the_section_is_named_by_its_key()
    {
        var options = Options(
            new BlacklistZoneOptions { Zone = "zen.spamhaus.org", Meanings = ["127.0.0.2"], RateLimitPerSecond = 0, DailyCap = 0, DelistUrl = "not a url" },
            new BlacklistZoneOptions { Zone = "ZEN.spamhaus.org." },
            new BlacklistZoneOptions { Zone = "multi.surbl.org", Meanings = ["127.0.0.8=phishing"] });
        options.MaxConcurrency = 0;
        options.FirstRunDelay = TimeSpan.FromSeconds(-1);
        options.Targets = ["192.0.2.1", "300.1.1.1", "not a domain"];
        options.Cache.NegativeTtl = TimeSpan.FromDays(2);
        options.Cache.MaxEntries = 0;

        var problems = BlacklistConfiguration.Validate(options);

        string[] keys =
        [
            "Monitor:Blacklists:MaxConcurrency:", "Monitor:Blacklists:FirstRunDelay:", "Monitor:Blacklists:Targets:1: '300.1.1.1'",
            "Monitor:Blacklists:Targets:2: 'not a domain'", "Monitor:Blacklists:Cache:NegativeTtl:", "Monitor:Blacklists:Cache:MaxEntries:",
            "Monitor:Blacklists:Zones:0:Meanings:0: meaning '127.0.0.2'", "Monitor:Blacklists:Zones:0:RateLimitPerSecond:",
            "Monitor:Blacklists:Zones:0:DailyCap:", "Monitor:Blacklists:Zones:0:DelistUrl:",
            "Monitor:Blacklists:Zones:1:Zone: 'zen.spamhaus.org' is already configured at Monitor:Blacklists:Zones:0",
            "Monitor:Blacklists:Zones:2:Meanings: multi.surbl.org is a bitmask list",
        ];
        Assert.All(keys, key => Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal)));
        Assert.Equal(keys.Length, problems.Count);
    }

    [Fact]
    public void Targets_are_every_domain_name_and_sending_ip_plus_the_extra_targets_each_once()
    {
        var monitor = new MonitorOptions
        {
            Domains =
            [
                new MonitoredDomain { Name = "Example.com", SendingIps = ["192.0.2.10", "2001:DB8::10"], ReturnPathDomain = "bounces.example.com", DkimSigningDomain = "example.com" },
                new MonitoredDomain { Name = "news.example.org", SendingIps = ["192.0.2.10"] },
            ],
        };
        var options = new BlacklistOptions { Targets = ["198.51.100.7", "tracking.example.net", "EXAMPLE.COM"] };

        var targets = BlacklistConfiguration.Targets(monitor, options).Select(t => t.Text);

        Assert.Equal(["example.com", "bounces.example.com", "192.0.2.10", "2001:db8::10", "news.example.org", "198.51.100.7", "tracking.example.net"], targets);
    }

    [Fact]
    public void Domain_prefix_makes_a_custom_domain_list_in_the_cli_syntax_too()
    {
        var zone = BlacklistZoneSpec.Parse("domain:RHS.example=127.0.0.2");

        Assert.Equal(("rhs.example", BlacklistZoneKind.Domain), (zone.Name, zone.Kind));
        Assert.Equal(BlacklistZoneKind.Ip, BlacklistZoneSpec.Parse("ip:bl.example=127.0.0.2", BlacklistZoneKind.Domain).Kind);
    }

    private static BlacklistOptions Options(params BlacklistZoneOptions[] zones) => new() { Zones = [.. zones] };
}
