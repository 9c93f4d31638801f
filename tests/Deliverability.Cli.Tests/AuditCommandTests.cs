using System.Security.Cryptography;
using System.Text.Json;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

/// <summary>One DNS server for the whole class: generating the DKIM keys of its domains takes a moment.</summary>
public sealed class AuditZoneFixture : IAsyncLifetime
{
    public TestDnsServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone();
        AddCompleteDomain(zone, "good.test", "192.0.2.1");
        AddCompleteDomain(zone, "dupmx.test", "192.0.2.2");
        zone.Mx("dupmx.test", 20, "mx.dupmx.test");
        AddCompleteDomain(zone, "badmx.test", "192.0.2.3");
        AddCompleteDomain(zone, "xn--bcher-kva.test", "192.0.2.4"); // bücher.test
        zone.Mx("badmx.test", 20, "nowhere.badmx.test");
        foreach (var name in new[] { "slow.test", "_dmarc.slow.test", "s1._domainkey.slow.test", "_mta-sts.slow.test", "_smtp._tls.slow.test", "default._bimi.slow.test", TestZone.ReverseName(System.Net.IPAddress.Parse("192.0.2.9")) })
        {
            zone.Timeout(name);
        }

        Server = TestDnsServer.Start(zone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A sending domain that meets every check: SPF, a 2048-bit DKIM key, DMARC, MX, FCrDNS, MTA-STS, TLS-RPT, BIMI.</summary>
    private static void AddCompleteDomain(TestZone zone, string domain, string ip)
    {
        using var rsa = RSA.Create(2048);
        var key = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var dkim = $"v=DKIM1; k=rsa; p={key}";
        zone.Txt(domain, $"v=spf1 ip4:{ip} -all")
            .Txt($"s1._domainkey.{domain}", [.. dkim.Chunk(250).Select(c => new string(c))])
            .Txt($"_dmarc.{domain}", $"v=DMARC1; p=reject; rua=mailto:dmarc@{domain}")
            .Mx(domain, 10, $"mx.{domain}")
            .A($"mx.{domain}", ip)
            .PtrFor(ip, $"mx.{domain}")
            .Txt($"_mta-sts.{domain}", "v=STSv1; id=20240101T000000;")
            .A($"mta-sts.{domain}", ip)
            .Txt($"_smtp._tls.{domain}", $"v=TLSRPTv1; rua=mailto:tls@{domain}")
            .Txt($"default._bimi.{domain}", $"v=BIMI1; l=https://{domain}/logo.svg; a=https://{domain}/vmc.pem");
    }
}

public sealed class AuditCommandTests(AuditZoneFixture dns) : IClassFixture<AuditZoneFixture>
{
    private readonly TestDnsServer _server = dns.Server;

    [Fact]
    public async Task Domain_with_every_record_right_exits_0()
    {
        var run = await RunAsync("audit", "good.test", "--selector", "s1", "--ip", "192.0.2.1", "--json");

        using var json = JsonDocument.Parse(run.Stdout);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("check").GetString()).ToArray();
        Assert.True(
            new[] { "spf", "dkim", "dmarc" }.All(checks.Contains),
            "The bulk-sender verdict needs the facts of the SPF, DKIM and DMARC checks: register them in DomainChecks.All().");
        Assert.True(run.ExitCode == 0, $"expected exit code 0; the report was:\n{run.Stdout}");
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Domain_written_in_unicode_is_audited_under_its_a_label()
    {
        var run = await RunAsync("audit", "Bücher.Test.", "--selector", "s1", "--ip", "192.0.2.4", "--json");

        Assert.True(run.ExitCode == 0, $"expected exit code 0; stderr: {run.Stderr}\nthe report was:\n{run.Stdout}");
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(("xn--bcher-kva.test", "ok"), (json.RootElement.GetProperty("domain").GetString(), json.RootElement.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Warnings_without_errors_exit_1()
    {
        var run = await RunAsync("audit", "dupmx.test", "--selector", "s1", "--ip", "192.0.2.2", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("mx.duplicate_target", Codes(run.Stdout));
        Assert.DoesNotContain("error", Severities(run.Stdout));
    }

    [Fact]
    public async Task Errors_exit_2()
    {
        var run = await RunAsync("audit", "badmx.test", "--selector", "s1", "--ip", "192.0.2.3", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("mx.target_unresolved", Codes(run.Stdout));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("error", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Domain_that_does_not_exist_exits_2_with_mx_missing()
    {
        var run = await RunAsync("audit", "nothing.test", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("mx.missing", Codes(run.Stdout));
    }

    [Fact]
    public async Task Dns_timeouts_are_inconclusive_and_exit_1_never_2()
    {
        var run = await RunAsync("audit", "slow.test", "--selector", "s1", "--ip", "192.0.2.9", "--dns-timeout", "0.5", "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("unknown", json.RootElement.GetProperty("status").GetString());
        var mx = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "mx");
        Assert.Equal("unknown", mx.GetProperty("status").GetString());
        Assert.DoesNotContain("error", Severities(run.Stdout));
    }

    [Fact]
    public async Task Json_is_one_object_with_every_check_and_finding_field()
    {
        var run = await RunAsync("audit", "dupmx.test", "--selector", "s1", "--ip", "192.0.2.2", "--json");

        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal("dupmx.test", root.GetProperty("domain").GetString());
        Assert.True(root.GetProperty("checkedAt").TryGetDateTimeOffset(out _));
        var checks = root.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Superset(
            new HashSet<string> { "mx", "rdns", "mta-sts", "tls-rpt", "bimi", "bulk-sender" },
            checks.Select(c => c.GetProperty("check").GetString()!).ToHashSet());
        Assert.All(checks, c =>
        {
            Assert.Contains(c.GetProperty("status").GetString(), new[] { "ok", "warning", "error", "unknown" });
            Assert.Equal(JsonValueKind.Array, c.GetProperty("records").ValueKind);
        });
        var duplicate = checks.Single(c => c.GetProperty("check").GetString() == "mx").GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("code").GetString() == "mx.duplicate_target");
        Assert.Equal("warning", duplicate.GetProperty("severity").GetString());
        Assert.Equal("mx.dupmx.test", duplicate.GetProperty("subject").GetString());
        Assert.NotEmpty(duplicate.GetProperty("message").GetString()!);
        Assert.NotEmpty(duplicate.GetProperty("fix").GetString()!);
    }

    [Fact]
    public async Task Text_output_shows_each_check_its_findings_with_fixes_and_the_verdict()
    {
        var run = await RunAsync("audit", "badmx.test", "--selector", "s1", "--ip", "192.0.2.3");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Audit of badmx.test", run.Stdout);
        Assert.Matches(@"(?m)^mx\s+ERROR$", run.Stdout);
        Assert.Matches(@"(?m)^rdns\s+OK$", run.Stdout);
        Assert.Contains("error   mx.target_unresolved [nowhere.badmx.test]", run.Stdout);
        Assert.Contains("fix: Publish an A and/or AAAA record for nowhere.badmx.test", run.Stdout);
        Assert.Matches(@"(?m)^Verdict: ERROR .*exit code 2$", run.Stdout);
    }

    [Theory]
    [InlineData("not a domain", "'not a domain'")]
    [InlineData("example", "'example'")]
    [InlineData("-bad-.test", "'-bad-.test'")]
    public async Task Malformed_domain_is_bad_usage_naming_the_value(string domain, string named)
    {
        var queriesBefore = _server.QueryCount;
        var run = await RunAsync("audit", domain);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr);
        Assert.Equal(queriesBefore, _server.QueryCount);
    }

    [Theory]
    [InlineData("999.1.1.1")]
    [InlineData("192.0.2")]
    [InlineData("mail.good.test")]
    public async Task Invalid_ip_is_bad_usage_naming_the_value(string ip)
    {
        var queriesBefore = _server.QueryCount;
        var run = await RunAsync("audit", "good.test", "--ip", ip);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--ip: '{ip}'", run.Stderr);
        Assert.Equal(queriesBefore, _server.QueryCount);
    }

    [Fact]
    public async Task Malformed_return_path_domain_is_bad_usage()
    {
        var run = await RunAsync("audit", "good.test", "--return-path-domain", "bounce..good.test");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--return-path-domain: 'bounce..good.test'", run.Stderr);
    }

    [Fact]
    public async Task Bad_dns_server_is_bad_usage()
    {
        var result = await RunRawAsync("audit", "good.test", "--dns", "dns.example:53");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--dns", result.Stderr);
    }

    private Task<CliRun> RunAsync(params string[] args) => RunRawAsync([.. args, "--dns", _server.Endpoint]);

    private static async Task<CliRun> RunRawAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await MonitorCli.RunAsync(args, stdout, stderr);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static IEnumerable<string> Codes(string json) => Findings(json).Select(f => f.GetProperty("code").GetString()!).ToArray();

    private static IEnumerable<string> Severities(string json) => Findings(json).Select(f => f.GetProperty("severity").GetString()!).ToArray();

    private static IEnumerable<JsonElement> Findings(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("checks").EnumerateArray().SelectMany(c => c.GetProperty("findings").EnumerateArray());

    private sealed record CliRun(int ExitCode, string Stdout, string Stderr);
}
