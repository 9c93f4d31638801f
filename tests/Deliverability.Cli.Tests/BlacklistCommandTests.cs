using System.Text.Json;
using Deliverability.Cli;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

/// <summary><c>monitor blacklist</c> against custom list zones served by a real DNS server on 127.0.0.1.</summary>
public sealed class BlacklistCommandTests : IAsyncLifetime
{
    private const string Zone = "bl.test=127.0.0.2";

    private TestDnsServer _dns = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone()
            // bl.test: a healthy list (RFC 5782 test point 127.0.0.2 listed, 127.0.0.1 not).
            .A("2.0.0.127.bl.test", "127.0.0.2")
            .A("1.2.0.192.bl.test", "127.0.0.2")
            .Txt("1.2.0.192.bl.test", "listed for spam trap hits")
            .A("10.2.0.192.bl.test", "127.255.255.254")
            .Timeout("3.2.0.192.bl.test")
            // IPv6 (RFC 5782 nibble form): the test point ::FFFF:7F00:2 and 2001:db8::1.
            .A("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.test", "127.0.0.2")
            .A("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test", "127.0.0.2")
            // other.test: a second healthy list that lists nothing but its test point.
            .A("2.0.0.127.other.test", "127.0.0.2")
            // The real Spamhaus ZEN name, served here: a default list asked by name keeps its code meanings and delisting link.
            .A("2.0.0.127.zen.spamhaus.org", "127.0.0.2").A("4.2.0.192.zen.spamhaus.org", "127.0.0.4")
            // wild.test: lists everything, including 127.0.0.1, so its verdicts are untrusted.
            .A("2.0.0.127.wild.test", "127.0.0.2").A("1.0.0.127.wild.test", "127.0.0.2").A("2.2.0.192.wild.test", "127.0.0.2")
            // rhs.test: a custom domain list (RFC 5782 test point TEST listed, INVALID not).
            .A("test.rhs.test", "127.0.0.2").A("spam.example.rhs.test", "127.0.0.3")
            .A("xn--bcher-kva.example.rhs.test", "127.0.0.3")); // bücher.example

        // The first answer of a fresh server is slow (JIT): take it before the tests' short DNS timeout applies.
        await MonitorCli.RunAsync(["blacklist", "192.0.2.2", "--zone", Zone, "--dns", _dns.Endpoint, "--dns-timeout", "10"], TextWriter.Null, TextWriter.Null);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(["blacklist", .. args, "--dns", _dns.Endpoint, "--dns-timeout", "1"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement[] Results(string output)
    {
        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.GetProperty("results").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Not_listed_target_exits_0()
    {
        var (exit, output, error) = await RunAsync("192.0.2.2", "--zone", Zone);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("192.0.2.2: listed on 0 of 1 lists", output);
        Assert.Matches(@"bl\.test\s+not_listed", output);
    }

    [Fact]
    public async Task Listed_target_exits_1_with_codes_meaning_and_the_lists_reason()
    {
        var (exit, output, _) = await RunAsync("192.0.2.1", "192.0.2.2", "--zone", Zone);

        Assert.Equal(1, exit);
        Assert.Contains("192.0.2.1: listed on 1 of 1 lists", output);
        Assert.Matches(@"bl\.test\s+listed\s+127\.0\.0\.2\s+listed \(127\.0\.0\.2\)\s+reason: listed for spam trap hits", output);
        Assert.Contains("192.0.2.2: listed on 0 of 1 lists", output);
    }

    [Fact]
    public async Task Json_is_an_object_with_one_result_per_target_and_zone()
    {
        var (exit, output, _) = await RunAsync("192.0.2.1", "192.0.2.2", "--zone", Zone, "--zone", "other.test=127.0.0.2", "--json");

        Assert.Equal(1, exit);
        var results = Results(output);
        Assert.Equal(4, results.Length);
        var listed = Assert.Single(results, r => r.GetProperty("status").GetString() == "listed");
        Assert.Equal("192.0.2.1", listed.GetProperty("target").GetString());
        Assert.Equal("bl.test", listed.GetProperty("zone").GetString());
        Assert.Equal(["127.0.0.2"], listed.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("listed (127.0.0.2)", listed.GetProperty("meaning").GetString());
        Assert.Equal("listed for spam trap hits", listed.GetProperty("reason").GetString());
        Assert.False(listed.GetProperty("untrusted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("delistUrl").ValueKind);

        var notListed = results.Where(r => r.GetProperty("status").GetString() == "not_listed").ToList();
        Assert.Equal(3, notListed.Count);
        Assert.All(notListed, r => Assert.Empty(r.GetProperty("codes").EnumerateArray()));
        Assert.Contains(notListed, r => r.GetProperty("target").GetString() == "192.0.2.1" && r.GetProperty("zone").GetString() == "other.test");

        using var json = JsonDocument.Parse(output);
        var zones = json.RootElement.GetProperty("zones").EnumerateArray().ToList();
        Assert.Equal(["bl.test", "other.test"], zones.Select(z => z.GetProperty("zone").GetString()).Order());
        Assert.All(zones, z => Assert.Equal("healthy", z.GetProperty("health").GetString()));
    }

    [Fact]
    public async Task Default_list_named_in_zone_decodes_its_codes_and_gives_the_delisting_link()
    {
        var (exit, output, _) = await RunAsync("192.0.2.4", "--zone", "zen.spamhaus.org", "--json");

        Assert.Equal(1, exit);
        var result = Assert.Single(Results(output));
        Assert.Equal("listed", result.GetProperty("status").GetString());
        Assert.Equal("zen.spamhaus.org", result.GetProperty("zone").GetString());
        Assert.StartsWith("XBL:", result.GetProperty("meaning").GetString());
        Assert.Equal("https://check.spamhaus.org/", result.GetProperty("delistUrl").GetString());
    }

    [Fact]
    public async Task Listed_text_line_carries_the_delisting_link()
    {
        var (exit, output, _) = await RunAsync("192.0.2.4", "--zone", "zen.spamhaus.org");

        Assert.Equal(1, exit);
        Assert.Matches(@"zen\.spamhaus\.org\s+listed\s+127\.0\.0\.4\s+XBL: .*delist: https://check\.spamhaus\.org/", output);
    }

    [Fact]
    public async Task Without_zone_every_default_list_of_the_targets_kind_is_asked()
    {
        var (_, output, _) = await RunAsync("192.0.2.4", "--json");

        var zones = Results(output).Select(r => r.GetProperty("zone").GetString()).Order().ToList();
        Assert.Equal(
            ["b.barracudacentral.org", "bl.mailspike.net", "bl.spamcop.net", "dnsbl-1.uceprotect.net", "psbl.surriel.com", "zen.spamhaus.org"],
            zones);
    }

    [Fact]
    public async Task Ipv6_target_is_asked_in_nibble_form()
    {
        var (exit, output, _) = await RunAsync("2001:db8::1", "2001:db8::2", "--zone", Zone, "--json");

        Assert.Equal(1, exit);
        var statuses = Results(output).ToDictionary(r => r.GetProperty("target").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("listed", statuses["2001:db8::1"]);
        Assert.Equal("not_listed", statuses["2001:db8::2"]);
    }

    [Fact]
    public async Task Refusal_code_is_refused_never_listed_and_exits_2()
    {
        var (exit, output, _) = await RunAsync("192.0.2.10", "--zone", Zone, "--json");

        Assert.Equal(2, exit);
        var result = Assert.Single(Results(output));
        Assert.Equal("refused", result.GetProperty("status").GetString());
        Assert.Equal(["127.255.255.254"], result.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("not a listing", result.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("delistUrl").ValueKind);
    }

    [Fact]
    public async Task Refusal_in_text_names_the_reason()
    {
        var (exit, output, _) = await RunAsync("192.0.2.10", "--zone", Zone);

        Assert.Equal(2, exit);
        Assert.Matches(@"bl\.test\s+refused\s+127\.255\.255\.254\s+.*refused the query", output);
    }

    [Fact]
    public async Task Dns_timeout_is_error_and_exits_2()
    {
        var (exit, output, _) = await RunAsync("192.0.2.3", "--zone", Zone, "--json");

        Assert.Equal(2, exit);
        var result = Assert.Single(Results(output));
        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Listing_elsewhere_wins_over_an_error_for_the_exit_code()
    {
        var (exit, output, _) = await RunAsync("192.0.2.1", "192.0.2.3", "--zone", Zone, "--json");

        Assert.Equal(1, exit);
        var statuses = Results(output).ToDictionary(r => r.GetProperty("target").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("listed", statuses["192.0.2.1"]);
        Assert.Equal("error", statuses["192.0.2.3"]);
    }

    [Fact]
    public async Task Zone_that_lists_everything_is_untrusted_and_reported_unhealthy()
    {
        var (exit, output, _) = await RunAsync("192.0.2.2", "--zone", "wild.test=127.0.0.2", "--json");

        Assert.Equal(2, exit);
        var result = Assert.Single(Results(output));
        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("untrusted").GetBoolean());
        using var json = JsonDocument.Parse(output);
        var zone = Assert.Single(json.RootElement.GetProperty("zones").EnumerateArray());
        Assert.Equal("unhealthy", zone.GetProperty("health").GetString());
        Assert.False(zone.GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public async Task Unhealthy_zone_gets_its_own_text_line()
    {
        var (exit, output, _) = await RunAsync("192.0.2.2", "--zone", "wild.test=127.0.0.2");

        Assert.Equal(2, exit);
        Assert.Matches(@"wild\.test\s+error", output);
        Assert.Contains("zone wild.test unhealthy:", output);
    }

    [Theory]
    [InlineData("192.0.2.300", "'192.0.2.300'")]
    [InlineData("not a domain", "'not a domain'")]
    [InlineData("2001:db8::zz", "'2001:db8::zz'")]
    public async Task Malformed_target_is_a_usage_error_naming_the_value(string target, string named)
    {
        var queriesBefore = _dns.QueryCount;
        var (exit, output, error) = await RunAsync(target, "--zone", Zone);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(named, error);
        Assert.Equal(queriesBefore, _dns.QueryCount);
    }

    [Theory]
    [InlineData("bl.test=10.0.0.2", "'10.0.0.2'")]
    [InlineData("unknown.example", "'unknown.example'")]
    [InlineData("bl.test=127.255.255.254", "'127.255.255.254'")]
    [InlineData("bad_zone!=127.0.0.2", "'bad_zone!=127.0.0.2'")]
    public async Task Unknown_zone_syntax_is_a_usage_error_naming_the_value(string spec, string named)
    {
        var (exit, output, error) = await RunAsync("192.0.2.1", "--zone", spec);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("--zone", error);
        Assert.Contains(named, error);
    }

    [Fact]
    public async Task Missing_target_is_a_usage_error()
    {
        var (exit, output, error) = await RunAsync("--zone", Zone);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.NotEqual("", error);
    }

    [Fact]
    public async Task Domain_target_with_only_ip_lists_is_reported_unchecked_and_exits_2()
    {
        var (exit, output, error) = await RunAsync("example.test", "--zone", Zone);

        Assert.Equal(2, exit);
        Assert.Contains("'example.test'", error);
        Assert.Contains("example.test: not checked", output);
    }

    [Fact]
    public async Task Domain_prefix_makes_a_custom_zone_a_domain_list()
    {
        var (exit, output, error) = await RunAsync("spam.example", "clean.example", "192.0.2.1", "--zone", "domain:rhs.test=127.0.0.2,127.0.0.3", "--json");

        Assert.Equal(BlacklistCommand.Listed, exit);
        var results = Results(output);
        Assert.Equal([("spam.example", "listed"), ("clean.example", "not_listed")], results.Select(r => (r.GetProperty("target").GetString(), r.GetProperty("status").GetString())));
        Assert.Contains("'192.0.2.1'", error, StringComparison.Ordinal); // an IP is not asked of a domain list
    }

    [Fact]
    public async Task Domain_written_in_unicode_is_asked_by_its_a_label()
    {
        var (exit, output, error) = await RunAsync("Bücher.Example.", "--zone", "domain:rhs.test=127.0.0.2,127.0.0.3", "--json");

        Assert.Equal((BlacklistCommand.Listed, ""), (exit, error));
        var result = Assert.Single(Results(output));
        Assert.Equal(("xn--bcher-kva.example", "listed"), (result.GetProperty("target").GetString(), result.GetProperty("status").GetString()));
    }
}
