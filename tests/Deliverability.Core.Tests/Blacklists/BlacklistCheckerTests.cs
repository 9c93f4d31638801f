using System.Net;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Blacklists;

/// <summary>Block list zones served by a real DNS server on 127.0.0.1; zones are the defaults renamed under <c>.test</c>.</summary>
public sealed class BlacklistCheckerTests : IAsyncLifetime
{
    private const string Ipv6TestPointListed = "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0";
    private const string Ipv6Target = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";

    private static readonly BlacklistZone Zen = BlacklistZones.SpamhausZen with { Name = "zen.test" };
    private static readonly BlacklistZone Dbl = BlacklistZones.SpamhausDbl with { Name = "dbl.test" };
    private static readonly BlacklistZone Uribl = BlacklistZones.Uribl with { Name = "uribl.test" };
    private static readonly BlacklistZone Wildcard = BlacklistZones.Barracuda with { Name = "wild.test", Title = "Wildcard list" };
    private static readonly BlacklistZone Dead = BlacklistZones.SpamCop with { Name = "dead.test", Title = "Dead list" };
    private static readonly BlacklistZone Slow = BlacklistZones.Psbl with { Name = "slow.test", Title = "Slow list" };
    private static readonly BlacklistZone Broken = BlacklistZones.Uceprotect1 with { Name = "broken.test", Title = "Broken list" };
    private static readonly BlacklistZone Blocked = BlacklistZones.SpamhausZen with { Name = "blocked.test", Title = "Blocking list" };
    private static readonly BlacklistZone RefusingServer = BlacklistZones.SpamCop with { Name = "refusing.test", Title = "Refusing server" };
    private static readonly BlacklistZone Hijacked = BlacklistZones.Mailspike with { Name = "hijacked.test", Title = "Hijacked list" };

    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone()
            // A healthy IP zone: test point listed (IPv4 and IPv6), 127.0.0.1 not.
            .A("2.0.0.127.zen.test", "127.0.0.2")
            .A($"{Ipv6TestPointListed}.zen.test", "127.0.0.2")
            .A("1.2.0.192.zen.test", "127.0.0.2").A("1.2.0.192.zen.test", "127.0.0.4")
            .Txt("1.2.0.192.zen.test", "https://check.spamhaus.org/sbl/query/SBL1")
            .A("10.2.0.192.zen.test", "127.255.255.252")
            .A("11.2.0.192.zen.test", "127.255.255.254")
            .A("12.2.0.192.zen.test", "127.255.255.255")
            .A("13.2.0.192.zen.test", "127.0.0.2").A("13.2.0.192.zen.test", "127.255.255.254")
            .A($"{Ipv6Target}.zen.test", "127.0.0.3")
            // A healthy domain zone.
            .A("test.dbl.test", "127.0.1.2")
            .A("spam.example.dbl.test", "127.0.1.2")
            .A("asked-by-ip.example.dbl.test", "127.0.1.255")
            // A bitmask zone.
            .A("test.uribl.test", "127.0.0.14")
            .A("bad.example.uribl.test", "127.0.0.10")
            .A("blocked.example.uribl.test", "127.0.0.1")
            // A wildcard zone: lists the test point, 127.0.0.1 and the target alike.
            .A("2.0.0.127.wild.test", "127.0.0.2").A("1.0.0.127.wild.test", "127.0.0.2").A("1.2.0.192.wild.test", "127.0.0.2")
            // A zone that lists nothing, not even its test point.
            .Exists("other.dead.test")
            // Failing zones.
            .Timeout("2.0.0.127.slow.test").Timeout("1.0.0.127.slow.test").Timeout("1.2.0.192.slow.test")
            .ServFail("2.0.0.127.broken.test").ServFail("1.0.0.127.broken.test").ServFail("1.2.0.192.broken.test")
            // A zone that refuses this resolver: refusal codes for the test point and the target, NXDOMAIN for the rest.
            .A("2.0.0.127.blocked.test", "127.255.255.254").A("1.2.0.192.blocked.test", "127.255.255.254")
            .Refused("2.0.0.127.refusing.test").Refused("1.0.0.127.refusing.test").Refused("1.2.0.192.refusing.test")
            .A("2.0.0.127.hijacked.test", "127.0.0.2").A("1.2.0.192.hijacked.test", "198.51.100.7");
        _server = TestDnsServer.Start(zone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Listed_ip_gets_every_code_meaning_the_delisting_link_and_the_reason_text()
    {
        var verdict = await CheckOne("192.0.2.1", Zen);

        Assert.Equal(BlacklistStatus.Listed, verdict.Status);
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.4")], verdict.Codes);
        Assert.Contains("SBL: Spamhaus Block List", verdict.Meaning, StringComparison.Ordinal);
        Assert.Contains("XBL: exploited", verdict.Meaning, StringComparison.Ordinal);
        Assert.Equal("https://check.spamhaus.org/", verdict.DelistUrl);
        Assert.Equal("https://check.spamhaus.org/sbl/query/SBL1", verdict.ReasonText);
        Assert.Equal("listed", verdict.StatusWord);
        Assert.False(verdict.Untrusted);
    }

    [Fact]
    public async Task Nxdomain_is_not_listed()
    {
        var verdict = await CheckOne("192.0.2.2", Zen);

        Assert.Equal(BlacklistStatus.NotListed, verdict.Status);
        Assert.Empty(verdict.Codes);
        Assert.Null(verdict.DelistUrl);
        Assert.Equal("not_listed", verdict.StatusWord);
    }

    [Theory]
    [InlineData("192.0.2.10", "typing error")]
    [InlineData("192.0.2.11", "public or open resolver")]
    [InlineData("192.0.2.12", "too many queries")]
    [InlineData("192.0.2.13", "public or open resolver")]
    public async Task Spamhaus_refusal_codes_are_refused_never_listed(string ip, string why)
    {
        var verdict = await CheckOne(ip, Zen);

        Assert.Equal(BlacklistStatus.Refused, verdict.Status);
        Assert.Contains(why, verdict.Meaning, StringComparison.Ordinal);
        Assert.Contains("not a listing", verdict.Message, StringComparison.Ordinal);
        Assert.Null(verdict.DelistUrl);
    }

    [Fact]
    public async Task Ipv6_target_is_asked_in_nibble_form_and_self_tested_with_the_ipv6_test_point()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("2001:db8::1")], [Zen]);

        var verdict = Assert.Single(report.Verdicts);
        Assert.Equal(BlacklistStatus.Listed, verdict.Status);
        Assert.StartsWith("CSS", verdict.Meaning, StringComparison.Ordinal);
        Assert.Equal(BlacklistZoneHealthStatus.Healthy, Assert.Single(report.Zones).Status);
    }

    [Fact]
    public async Task Ipv6_target_is_not_asked_of_zones_without_ipv6()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("2001:db8::1")], [Wildcard]);

        Assert.Empty(report.Verdicts);
        Assert.Empty(report.Zones);
    }

    [Fact]
    public async Task Domain_zone_lists_a_domain_and_dbl_127_0_1_255_is_refused()
    {
        var report = await Checker().CheckAsync(
            [BlacklistTarget.Parse("Spam.Example"), BlacklistTarget.Parse("asked-by-ip.example"), BlacklistTarget.Parse("clean.example"), BlacklistTarget.Parse("192.0.2.1")],
            [Dbl]);

        Assert.Equal(3, report.Verdicts.Count); // the IP is not asked of a domain list
        Assert.Equal("DBL: spam domain", Verdict(report, "spam.example").Meaning);
        Assert.Equal(BlacklistStatus.Refused, Verdict(report, "asked-by-ip.example").Status);
        Assert.Equal(BlacklistStatus.NotListed, Verdict(report, "clean.example").Status);
    }

    [Fact]
    public async Task Bitmask_zone_decodes_bits_and_uribl_127_0_0_1_is_refused()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("bad.example"), BlacklistTarget.Parse("blocked.example")], [Uribl]);

        Assert.Equal("URIBL black, URIBL red", Verdict(report, "bad.example").Meaning);
        Assert.Equal(BlacklistStatus.Refused, Verdict(report, "blocked.example").Status);
    }

    [Fact]
    public async Task Wildcard_zone_fails_its_self_test_and_its_listing_is_not_trusted()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("192.0.2.1")], [Wildcard]);

        var health = Assert.Single(report.Zones);
        Assert.Equal(BlacklistZoneHealthStatus.Unhealthy, health.Status);
        Assert.Contains("127.0.0.1", health.Reason, StringComparison.Ordinal);
        var verdict = Assert.Single(report.Verdicts);
        Assert.Equal(BlacklistStatus.Error, verdict.Status);
        Assert.True(verdict.Untrusted);
        Assert.Contains("answers 'listed' for everything", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zone_that_does_not_list_its_test_point_cannot_say_not_listed()
    {
        var verdict = await CheckOne("192.0.2.1", Dead);

        Assert.Equal(BlacklistStatus.Error, verdict.Status);
        Assert.True(verdict.Untrusted);
        Assert.Contains("does not list its test point", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_and_servfail_are_errors_and_never_stop_the_other_zones()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("192.0.2.1")], [Slow, Broken, Zen, Hijacked]);

        Assert.Equal(BlacklistStatus.Listed, report.Verdicts.Single(v => v.Zone == Zen).Status);
        var slow = report.Verdicts.Single(v => v.Zone == Slow);
        var broken = report.Verdicts.Single(v => v.Zone == Broken);
        var hijacked = report.Verdicts.Single(v => v.Zone == Hijacked);
        Assert.Equal(BlacklistStatus.Error, slow.Status);
        Assert.Contains("timed out", slow.Message, StringComparison.Ordinal);
        Assert.Equal(BlacklistStatus.Error, broken.Status);
        Assert.Contains("SERVFAIL", broken.Message, StringComparison.Ordinal);
        Assert.Equal(BlacklistStatus.Error, hijacked.Status);
        Assert.Contains("outside 127.0.0.0/8", hijacked.Message, StringComparison.Ordinal);
        Assert.Equal(BlacklistZoneHealthStatus.Unreachable, report.Zones.Single(z => z.Zone == Slow).Status);
    }

    [Fact]
    public async Task Zone_that_refuses_its_self_test_reports_refused_and_its_not_listed_is_not_trusted()
    {
        var report = await Checker().CheckAsync([BlacklistTarget.Parse("192.0.2.1"), BlacklistTarget.Parse("192.0.2.2")], [Blocked]);

        Assert.Equal(BlacklistZoneHealthStatus.Refused, Assert.Single(report.Zones).Status);
        Assert.Equal(BlacklistStatus.Refused, Verdict(report, "192.0.2.1").Status);
        var clean = Verdict(report, "192.0.2.2");
        Assert.Equal(BlacklistStatus.Error, clean.Status);
        Assert.True(clean.Untrusted);
    }

    [Fact]
    public async Task Dns_refused_answer_is_refused_not_listed()
    {
        var verdict = await CheckOne("192.0.2.1", RefusingServer);

        Assert.Equal(BlacklistStatus.Refused, verdict.Status);
        Assert.Contains("refused", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_zones_and_targets_through_one_query_slot_all_get_their_verdict()
    {
        var checker = new BlacklistChecker(Resolver(), new BlacklistCheckerOptions { MaxConcurrency = 1 });
        string[] targets = ["192.0.2.1", "192.0.2.2", "192.0.2.11", "spam.example", "bad.example"];

        var report = await checker.CheckAsync(targets.Select(BlacklistTarget.Parse), [Zen, Dbl, Uribl, Wildcard]);

        Assert.Equal(4, report.Zones.Count);
        Assert.Equal(3 + 2 + 2 + 3, report.Verdicts.Count);
        Assert.Equal(BlacklistStatus.Listed, report.Verdicts.Single(v => v.Zone == Dbl && v.Target.Text == "spam.example").Status);
        Assert.Equal(BlacklistStatus.Listed, report.Verdicts.Single(v => v.Zone == Uribl && v.Target.Text == "bad.example").Status);
        Assert.Equal(BlacklistStatus.Refused, report.Verdicts.Single(v => v.Zone == Zen && v.Target.Text == "192.0.2.11").Status);
        Assert.All(report.Verdicts.Where(v => v.Zone == Wildcard), v => Assert.True(v.Untrusted));
    }

    [Fact]
    public async Task Self_test_of_a_healthy_domain_zone_asks_test_and_invalid()
    {
        var health = await BlacklistZoneSelfTest.RunAsync(Resolver(), Dbl);

        Assert.Equal(BlacklistZoneHealthStatus.Healthy, health.Status);
        Assert.True(health.IsTrusted);
    }

    private static BlacklistVerdict Verdict(BlacklistReport report, string target) => report.Verdicts.Single(v => v.Target.Text == target);

    private async Task<BlacklistVerdict> CheckOne(string target, BlacklistZone zone) =>
        Assert.Single(await Checker().CheckAsync(BlacklistTarget.Parse(target), [zone]));

    private BlacklistChecker Checker() => new(Resolver());

    // Answers expected within 1 s, retried once: a 1 s miss happens on 2 busy cores and is not under test.
    private DnsStubResolver Resolver() => new(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
}
