using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Dkim;

/// <summary>The DKIM check against a real DNS server on 127.0.0.1 serving one selector per case.</summary>
public sealed class DkimCheckTests : IAsyncLifetime
{
    private const string Domain = "example.com";
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone()
            .Txt("good._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; k=rsa; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("ed._domainkey.example.com", $"v=DKIM1; k=ed25519; p={DkimTestKeys.Ed25519Raw()}")
            .Txt("weak._domainkey.example.com", $"v=DKIM1; p={DkimTestKeys.RsaSpki(1024)}")
            .Txt("short._domainkey.example.com", $"v=DKIM1; p={DkimTestKeys.RsaSpki(512)}")
            .Txt("huge._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; p={DkimTestKeys.RsaSpkiOfSize(4200)}"))
            .Txt("bare._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; p={DkimTestKeys.RsaBare(2048)}"))
            .Txt("revoked._domainkey.example.com", "v=DKIM1; k=rsa; p=")
            .Txt("testing._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; t=y; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("sha1._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; h=sha1:sha256; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("sha1only._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; h=sha1; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("dsa._domainkey.example.com", "v=DKIM1; k=dsa; p=AAAA")
            .Txt("web._domainkey.example.com", DkimTestKeys.TxtStrings($"v=DKIM1; s=web; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("badkey._domainkey.example.com", "v=DKIM1; p=bm90IGEga2V5")
            .Txt("malformed._domainkey.example.com", "v=DKIM1; k=rsa; this is not a tag list")
            .Txt("twice._domainkey.example.com", "v=DKIM1; p=; p=")
            .Txt("several._domainkey.example.com", $"v=DKIM1; p={DkimTestKeys.Ed25519Raw()}")
            .Txt("several._domainkey.example.com", "v=DKIM1; p=")
            .Exists("nodata._domainkey.example.com")
            .A("nodata._domainkey.example.com", "192.0.2.1")
            .Cname("esp._domainkey.example.com", "example-com.dkim.esp.example.net")
            .Txt("example-com.dkim.esp.example.net", DkimTestKeys.TxtStrings($"v=DKIM1; k=rsa; p={DkimTestKeys.RsaSpki(2048)}"))
            .Cname("dangling._domainkey.example.com", "gone.dkim.esp.example.net")
            .Txt("s1._domainkey.mail.example.org", $"v=DKIM1; k=ed25519; p={DkimTestKeys.Ed25519Raw()}")
            .Timeout("slow._domainkey.example.com")
            .ServFail("broken._domainkey.example.com");
        _dns = TestDnsServer.Start(zone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Usable_rsa_2048_key_passes_and_is_published_as_a_fact()
    {
        var (result, context) = await RunAsync("good");

        Assert.Equal(CheckStatus.Ok, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dkim.key_ok", "good"), (finding.Code, finding.Subject));
        Assert.Contains("RSA 2048 bits", finding.Message);
        Assert.Contains(result.Records, r => r.StartsWith("good._domainkey.example.com TXT \"v=DKIM1; k=rsa; p=MII", StringComparison.Ordinal));
        var facts = context.Fact<DkimFacts>();
        Assert.NotNull(facts);
        Assert.Equal(Domain, facts.SigningDomain);
        Assert.Equal([new DkimSelectorFact("good", true)], facts.Selectors);
        Assert.True(facts.AnyUsableKey);
    }

    [Fact]
    public async Task Usable_ed25519_key_passes()
    {
        var (result, context) = await RunAsync("ed");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Contains("ed25519", Assert.Single(result.Findings).Message);
        Assert.True(context.Fact<DkimFacts>()!.AnyUsableKey);
    }

    [Theory]
    [InlineData("weak", "dkim.key_weak", CheckStatus.Warning, true)]
    [InlineData("short", "dkim.key_too_short", CheckStatus.Error, false)]
    [InlineData("huge", "dkim.key_too_long", CheckStatus.Warning, true)]
    [InlineData("bare", "dkim.key_bare_rsa", CheckStatus.Warning, true)]
    [InlineData("revoked", "dkim.revoked", CheckStatus.Error, false)]
    [InlineData("testing", "dkim.testing", CheckStatus.Warning, true)]
    [InlineData("sha1", "dkim.sha1", CheckStatus.Warning, true)]
    [InlineData("sha1only", "dkim.hash_unusable", CheckStatus.Error, false)]
    [InlineData("dsa", "dkim.key_type_unknown", CheckStatus.Error, false)]
    [InlineData("web", "dkim.service_not_email", CheckStatus.Error, false)]
    [InlineData("badkey", "dkim.key_invalid", CheckStatus.Error, false)]
    [InlineData("malformed", "dkim.malformed", CheckStatus.Error, false)]
    [InlineData("twice", "dkim.malformed", CheckStatus.Error, false)]
    [InlineData("several", "dkim.multiple_records", CheckStatus.Error, false)]
    [InlineData("missing", "dkim.missing", CheckStatus.Error, false)]
    [InlineData("nodata", "dkim.missing", CheckStatus.Error, false)]
    [InlineData("dangling", "dkim.missing", CheckStatus.Error, false)]
    [InlineData("bad selector", "dkim.selector_invalid", CheckStatus.Error, false)]
    public async Task Each_key_problem_is_a_finding_about_its_selector(string selector, string code, CheckStatus status, bool usable)
    {
        var (result, context) = await RunAsync(selector);

        Assert.Equal(status, result.Status);
        var finding = Assert.Single(result.Findings, f => f.Code == code);
        Assert.Equal(selector, finding.Subject);
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
        Assert.Equal(usable, context.Fact<DkimFacts>()!.AnyUsableKey);
    }

    [Fact]
    public async Task Malformed_record_finding_says_what_is_wrong()
    {
        var (result, _) = await RunAsync("malformed");

        Assert.Contains("'this is not a tag list' at position 17", Assert.Single(result.Findings).Message);
    }

    [Fact]
    public async Task Nxdomain_selector_is_missing()
    {
        var (result, _) = await RunAsync("missing");

        var finding = Assert.Single(result.Findings);
        Assert.Equal("dkim.missing", finding.Code);
        Assert.Contains("missing._domainkey.example.com", finding.Message);
        Assert.Contains("NXDOMAIN", finding.Message);
    }

    [Fact]
    public async Task Cname_delegated_selector_is_followed_and_the_delegation_reported()
    {
        var (result, context) = await RunAsync("esp");

        Assert.Equal(CheckStatus.Ok, result.Status);
        var delegated = Assert.Single(result.Findings, f => f.Code == "dkim.delegated");
        Assert.Equal(Severity.Info, delegated.Severity);
        Assert.Contains("example-com.dkim.esp.example.net", delegated.Message);
        Assert.Contains("esp._domainkey.example.com CNAME example-com.dkim.esp.example.net", result.Records);
        Assert.Contains(result.Records, r => r.StartsWith("example-com.dkim.esp.example.net TXT", StringComparison.Ordinal));
        Assert.True(context.Fact<DkimFacts>()!.AnyUsableKey);
    }

    [Fact]
    public async Task Dangling_cname_names_the_delegation_target()
    {
        var (result, _) = await RunAsync("dangling");

        var missing = Assert.Single(result.Findings, f => f.Code == "dkim.missing");
        Assert.Contains("delegated to gone.dkim.esp.example.net", missing.Message);
        Assert.Contains("gone.dkim.esp.example.net", missing.Fix);
    }

    [Theory]
    [InlineData("slow")]
    [InlineData("broken")]
    public async Task Timeout_or_servfail_is_inconclusive_not_missing(string selector)
    {
        var (result, context) = await RunAsync(selector);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dkim.dns_temporary", selector), (finding.Code, finding.Subject));
        Assert.DoesNotContain(result.Findings, f => f.Code == "dkim.missing");
        Assert.Null(context.Fact<DkimFacts>());
    }

    [Fact]
    public async Task Timeout_of_one_selector_does_not_hide_another_usable_key()
    {
        var (result, context) = await RunAsync("slow", "good");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        var facts = context.Fact<DkimFacts>();
        Assert.NotNull(facts);
        Assert.True(facts.AnyUsableKey);
    }

    [Fact]
    public async Task Error_of_one_selector_outweighs_a_timeout_of_another()
    {
        var (result, context) = await RunAsync("slow", "revoked");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Null(context.Fact<DkimFacts>());
    }

    [Fact]
    public async Task Every_selector_is_checked_and_reported_separately()
    {
        var (result, context) = await RunAsync("good", "weak", "revoked");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(["good", "revoked", "weak"], result.Findings.Select(f => f.Subject!).Distinct().Order());
        Assert.Equal([true, true, false], context.Fact<DkimFacts>()!.Selectors.Select(s => s.UsableKey));
    }

    [Fact]
    public async Task No_selector_configured_asks_for_selectors()
    {
        var (result, context) = await RunAsync();

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dkim.no_selectors", Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("cannot be discovered", finding.Message);
        Assert.Empty(context.Fact<DkimFacts>()!.Selectors);
        Assert.Equal(0, _dns.QueryCount);
    }

    [Fact]
    public async Task Configured_signing_domain_is_where_keys_are_looked_up()
    {
        var request = new DomainAuditRequest(Domain, ["s1"], [], DkimSigningDomain: "mail.example.org");
        var context = new DomainAuditContext(request, Resolver());

        var result = await new DkimCheck().RunAsync(context, CancellationToken.None);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("mail.example.org", context.Fact<DkimFacts>()!.SigningDomain);
    }

    [Fact]
    public async Task Selectors_are_normalized_and_asked_once()
    {
        var (result, _) = await RunAsync("Good", "good ", "GOOD");

        Assert.Single(result.Findings);
        Assert.Equal(1, _dns.QueryCount);
    }

    private async Task<(CheckResult Result, DomainAuditContext Context)> RunAsync(params string[] selectors)
    {
        var context = new DomainAuditContext(new DomainAuditRequest(Domain, selectors, []), Resolver());
        var result = await new DkimCheck().RunAsync(context, CancellationToken.None);
        Assert.Equal("dkim", result.Check);
        return (result, context);
    }

    // Generous timeout: the machine is shared and slow answers must not turn into flaky "inconclusive" results.
    private DnsStubResolver Resolver() =>
        new(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 2, Retries = 0, UseCache = false });
}
