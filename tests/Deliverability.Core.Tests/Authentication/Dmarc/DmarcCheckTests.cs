using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Dmarc;

/// <summary>The DMARC check against a real DNS server on 127.0.0.1, with the shipped public suffix list.</summary>
public sealed class DmarcCheckTests : IAsyncLifetime
{
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone()
            .Txt("_dmarc.good.com", "v=DMARC1; p=reject; rua=mailto:dmarc@good.com")
            .Txt("_dmarc.good.com", "some-other-verification=abc")
            .Txt("_dmarc.monitor.com", "v=DMARC1; p=none; rua=mailto:dmarc@monitor.com")
            .Txt("_dmarc.norua.com", "v=DMARC1; p=reject")
            .Txt("_dmarc.other.com", "google-site-verification=abc")
            .Txt("_dmarc.notfirst.com", "p=reject; v=DMARC1")
            .Txt("_dmarc.several.com", "v=DMARC1; p=reject")
            .Txt("_dmarc.several.com", "v=DMARC1; p=none; rua=mailto:d@several.com")
            .Txt("_dmarc.malformed.com", "v=DMARC1; p=reject; rua")
            .Txt("_dmarc.nopolicy.com", "v=DMARC1; rua=mailto:d@nopolicy.com")
            .Timeout("_dmarc.slow.com")
            .ServFail("_dmarc.broken.com")
            .Txt("_dmarc.parent.com", "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:dmarc@parent.com")
            .Txt("_dmarc.lax.com", "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@lax.com")
            .Txt("_dmarc.example.co.uk", "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.co.uk")
            .Timeout("_dmarc.orgslow.com")
            .Txt("_dmarc.external.com", "v=DMARC1; p=reject; rua=mailto:agg@reports.vendor.net, mailto:agg@unauth.vendor.org; ruf=mailto:f@reports.vendor.net")
            .Txt("external.com._report._dmarc.reports.vendor.net", "v=DMARC1")
            .Txt("_dmarc.internal.com", "v=DMARC1; p=reject; rua=mailto:agg@reports.internal.com")
            .Txt("_dmarc.extslow.com", "v=DMARC1; p=reject; rua=mailto:agg@slow.vendor.net")
            .Timeout("extslow.com._report._dmarc.slow.vendor.net")
            .Txt("_dmarc.align.com", "v=DMARC1; p=reject; rua=mailto:d@align.com")
            .Txt("_dmarc.strict.com", "v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:d@strict.com");
        _dns = TestDnsServer.Start(zone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Enforced_record_with_reports_and_aligned_domains_passes()
    {
        var (result, context) = await RunAsync("good.com");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Empty(result.Findings);
        Assert.Contains("_dmarc.good.com TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@good.com\"", result.Records);
        Assert.Equal(new DmarcFacts(true, "reject", true, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Policy_none_is_a_warning()
    {
        var (result, context) = await RunAsync("monitor.com");

        Assert.Equal(CheckStatus.Warning, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.policy_none", Severity.Warning), (finding.Code, finding.Severity));
        Assert.Equal("none", context.Fact<DmarcFacts>()!.Policy);
    }

    [Fact]
    public async Task Missing_rua_is_a_warning()
    {
        var (result, _) = await RunAsync("norua.com");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.no_rua", Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("rua=mailto:dmarc-reports@norua.com", finding.Fix);
    }

    [Fact]
    public async Task Missing_policy_with_rua_is_treated_as_none()
    {
        var (result, context) = await RunAsync("nopolicy.com");

        Assert.Equal(["dmarc.policy_missing", "dmarc.policy_none"], result.Findings.Select(f => f.Code));
        Assert.Equal(new DmarcFacts(true, "none", true, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Nxdomain_at_an_organizational_domain_is_missing_after_one_query()
    {
        var (result, context) = await RunAsync("nothing.com");

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings, f => f.Code == "dmarc.missing");
        Assert.Contains("_dmarc.nothing.com", finding.Fix);
        Assert.Equal(1, _dns.QueryCount);
        Assert.Equal(new DmarcFacts(false, null, true, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Txt_records_that_are_not_dmarc_are_ignored()
    {
        var (result, _) = await RunAsync("other.com");

        Assert.Equal("dmarc.missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Record_not_starting_with_the_version_is_discarded_and_said_so()
    {
        var (result, context) = await RunAsync("notfirst.com");

        Assert.Equal(["dmarc.version_not_first", "dmarc.missing"], result.Findings.Select(f => f.Code));
        Assert.False(context.Fact<DmarcFacts>()!.RecordFound);
    }

    [Fact]
    public async Task Several_records_mean_no_policy_applies()
    {
        var (result, context) = await RunAsync("several.com");

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("dmarc.multiple_records", finding.Code);
        Assert.Contains("2 DMARC records", finding.Message);
        Assert.Equal(2, result.Records.Count);
        Assert.False(context.Fact<DmarcFacts>()!.RecordFound);
    }

    [Fact]
    public async Task Malformed_record_is_an_error_with_the_position()
    {
        var (result, context) = await RunAsync("malformed.com");

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("dmarc.malformed", finding.Code);
        Assert.Contains("position 21", finding.Message);
        Assert.False(context.Fact<DmarcFacts>()!.RecordFound);
    }

    [Theory]
    [InlineData("slow.com")]
    [InlineData("broken.com")]
    public async Task Timeout_or_servfail_is_inconclusive_and_publishes_no_fact(string domain)
    {
        var (result, context) = await RunAsync(domain);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("dmarc.dns_temporary", Assert.Single(result.Findings).Code);
        Assert.Null(context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Subdomain_without_a_record_falls_back_to_its_organizational_domain_and_its_sp()
    {
        var (result, context) = await RunAsync("news.parent.com");

        Assert.Equal(CheckStatus.Ok, result.Status);
        var inherited = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.inherited", Severity.Info), (inherited.Code, inherited.Severity));
        Assert.Contains("sp=quarantine", inherited.Message);
        Assert.Contains("np=reject", inherited.Message);
        Assert.Contains(result.Records, r => r.StartsWith("_dmarc.parent.com TXT", StringComparison.Ordinal));
        Assert.Equal(new DmarcFacts(true, "quarantine", true, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Inherited_subdomain_policy_none_is_a_warning()
    {
        var (result, context) = await RunAsync("shop.lax.com");

        var none = Assert.Single(result.Findings, f => f.Code == "dmarc.policy_none");
        Assert.Contains("sp=none", none.Message);
        Assert.Equal("none", context.Fact<DmarcFacts>()!.Policy);
    }

    [Fact]
    public async Task Fallback_uses_the_public_suffix_list_for_multi_label_suffixes()
    {
        var (result, context) = await RunAsync("news.example.co.uk");

        var inherited = Assert.Single(result.Findings);
        Assert.Equal("dmarc.inherited", inherited.Code);
        Assert.Contains("p=quarantine (it sets no sp=", inherited.Message);
        Assert.Contains(result.Records, r => r.StartsWith("_dmarc.example.co.uk TXT", StringComparison.Ordinal));
        Assert.Equal("quarantine", context.Fact<DmarcFacts>()!.Policy);
        Assert.Equal(2, _dns.QueryCount);
    }

    [Fact]
    public async Task Subdomain_and_organizational_domain_without_records_is_missing()
    {
        var (result, _) = await RunAsync("mail.nothing.com");

        var finding = Assert.Single(result.Findings);
        Assert.Equal("dmarc.missing", finding.Code);
        Assert.Contains("nothing.com", finding.Message);
        Assert.Contains("_dmarc.nothing.com", finding.Fix);
    }

    [Fact]
    public async Task Timeout_at_the_organizational_domain_is_inconclusive()
    {
        var (result, context) = await RunAsync("a.orgslow.com");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("dmarc.dns_temporary", Assert.Single(result.Findings).Code);
        Assert.Null(context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task External_destinations_must_authorize_reports()
    {
        var (result, _) = await RunAsync("external.com");

        Assert.Equal(CheckStatus.Warning, result.Status);
        var unauthorized = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.external_destination_unauthorized", Severity.Warning), (unauthorized.Code, unauthorized.Severity));
        Assert.Equal("unauth.vendor.org", unauthorized.Subject);
        Assert.Contains("external.com._report._dmarc.unauth.vendor.org", unauthorized.Message);
        Assert.Contains("external.com._report._dmarc.reports.vendor.net TXT \"v=DMARC1\"", result.Records);
        // One query for the policy and one per external destination domain (rua and ruf share reports.vendor.net).
        Assert.Equal(3, _dns.QueryCount);
    }

    [Fact]
    public async Task Destinations_inside_the_organization_need_no_authorization()
    {
        var (result, _) = await RunAsync("internal.com");

        Assert.Empty(result.Findings);
        Assert.Equal(1, _dns.QueryCount);
    }

    [Fact]
    public async Task Timeout_of_an_authorization_query_is_inconclusive_for_that_destination()
    {
        var (result, context) = await RunAsync("extslow.com");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.dns_temporary", "slow.vendor.net"), (finding.Code, finding.Subject));
        Assert.Equal("reject", context.Fact<DmarcFacts>()!.Policy);
    }

    [Fact]
    public async Task Relaxed_alignment_accepts_subdomains_of_the_same_organization()
    {
        var (result, context) = await RunAsync("align.com", returnPath: "bounce.align.com", dkim: "mail.align.com");

        Assert.Empty(result.Findings);
        Assert.Equal(new DmarcFacts(true, "reject", true, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Relaxed_alignment_of_a_subdomain_from_address()
    {
        var (result, context) = await RunAsync("news.parent.com", returnPath: "bounce.parent.com", dkim: "parent.com");

        Assert.DoesNotContain(result.Findings, f => f.Code.EndsWith("_unaligned", StringComparison.Ordinal));
        Assert.True(context.Fact<DmarcFacts>()!.SpfAligned);
    }

    [Fact]
    public async Task Unaligned_return_path_is_a_warning_when_dkim_aligns()
    {
        var (result, context) = await RunAsync("align.com", returnPath: "bounces.esp.net", dkim: "align.com");

        Assert.Equal(CheckStatus.Warning, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.spf_unaligned", Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("bounces.esp.net", finding.Message);
        Assert.Equal(new DmarcFacts(true, "reject", false, true), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Unaligned_dkim_domain_is_a_warning_when_spf_aligns()
    {
        var (result, context) = await RunAsync("align.com", returnPath: "align.com", dkim: "esp.net");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("dmarc.dkim_unaligned", Severity.Warning), (finding.Code, finding.Severity));
        Assert.Equal(new DmarcFacts(true, "reject", true, false), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Neither_aligned_means_dmarc_can_never_pass()
    {
        var (result, _) = await RunAsync("align.com", returnPath: "bounces.esp.net", dkim: "esp.net");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(["dmarc.spf_unaligned", "dmarc.dkim_unaligned"], result.Findings.Select(f => f.Code));
        Assert.All(result.Findings, f => Assert.Equal(Severity.Error, f.Severity));
        Assert.All(result.Findings, f => Assert.Contains("can never pass", f.Message));
    }

    [Fact]
    public async Task Strict_alignment_rejects_subdomains_and_suggests_relaxing()
    {
        var (result, context) = await RunAsync("strict.com", returnPath: "bounce.strict.com", dkim: "mail.strict.com");

        Assert.Equal(["dmarc.spf_unaligned", "dmarc.dkim_unaligned"], result.Findings.Select(f => f.Code));
        Assert.Contains("aspf=r", result.Findings[0].Fix);
        Assert.Contains("adkim=r", result.Findings[1].Fix);
        Assert.Equal(new DmarcFacts(true, "reject", false, false), context.Fact<DmarcFacts>());
    }

    [Fact]
    public async Task Strict_alignment_accepts_the_exact_domain()
    {
        var (result, context) = await RunAsync("strict.com", returnPath: "strict.com", dkim: "STRICT.com");

        Assert.Empty(result.Findings);
        Assert.True(context.Fact<DmarcFacts>()!.DkimAligned);
    }

    [Fact]
    public async Task Organizations_under_the_same_public_suffix_do_not_align()
    {
        var (result, _) = await RunAsync("news.example.co.uk", returnPath: "bounce.other.co.uk", dkim: "example.co.uk");

        Assert.Equal("dmarc.spf_unaligned", Assert.Single(result.Findings, f => f.Code.EndsWith("_unaligned", StringComparison.Ordinal)).Code);
    }

    private async Task<(CheckResult Result, DomainAuditContext Context)> RunAsync(string domain, string? returnPath = null, string? dkim = null)
    {
        var context = new DomainAuditContext(new DomainAuditRequest(domain, [], [], returnPath, dkim), Resolver());
        var result = await new DmarcCheck().RunAsync(context, CancellationToken.None);
        Assert.Equal("dmarc", result.Check);
        Assert.All(result.Findings, f => Assert.StartsWith("dmarc.", f.Code));
        return (result, context);
    }

    // Generous timeout: the machine is shared and slow answers must not turn into flaky "inconclusive" results.
    private DnsStubResolver Resolver() =>
        new(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 2, Retries = 0, UseCache = false });
}
