using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.BulkSender;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Authentication.BulkSender;

/// <summary>The verdict reads only facts: each test publishes hand-made facts, as the stage-0 checks would.</summary>
public sealed class BulkSenderCheckTests
{
    private static readonly IPAddress Ip1 = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Ip2 = IPAddress.Parse("2001:db8::2");

    [Fact]
    public async Task All_requirements_met_is_compliant()
    {
        var result = await RunAsync(Facts());

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("bulk.compliant", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public void Bulk_sender_runs_after_the_checks_whose_facts_it_reads() => Assert.True(((IDomainCheck)new BulkSenderCheck()).Stage > 0);

    [Fact]
    public async Task Spf_failing_for_a_sending_ip_is_an_error_naming_the_providers()
    {
        var facts = Facts() with { Spf = new SpfFacts("example.com", true, new Dictionary<IPAddress, SpfResult> { [Ip1] = SpfResult.Pass, [Ip2] = SpfResult.SoftFail }) };

        var result = await RunAsync(facts);

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("bulk.spf_not_passing", finding.Code);
        Assert.Equal(Ip2.ToString(), finding.Subject);
        Assert.Contains("Gmail, Yahoo and Outlook.com", finding.Message);
        Assert.Contains("softfail", finding.Message);
    }

    [Fact]
    public async Task No_spf_record_is_an_error()
    {
        var result = await RunAsync(Facts() with { Spf = new SpfFacts("example.com", false, new Dictionary<IPAddress, SpfResult>()) });

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("bulk.spf_missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task No_spf_record_because_its_lookup_failed_is_inconclusive_not_missing()
    {
        var facts = Facts() with { Spf = new SpfFacts("example.com", false, new Dictionary<IPAddress, SpfResult> { [Ip1] = SpfResult.TempError, [Ip2] = SpfResult.TempError }) };

        var result = await RunAsync(facts);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("bulk.spf_unknown", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Spf_temperror_for_an_ip_is_inconclusive_not_a_failure()
    {
        var facts = Facts() with { Spf = new SpfFacts("example.com", true, new Dictionary<IPAddress, SpfResult> { [Ip1] = SpfResult.Pass, [Ip2] = SpfResult.TempError }) };

        var result = await RunAsync(facts);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("bulk.spf_unknown", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task No_usable_dkim_key_is_an_error()
    {
        var result = await RunAsync(Facts() with { Dkim = new DkimFacts("example.com", [new DkimSelectorFact("s1", false), new DkimSelectorFact("s2", false)]) });

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("bulk.dkim_missing", finding.Code);
        Assert.Contains("s1, s2", finding.Message);
    }

    [Fact]
    public async Task One_usable_dkim_key_is_enough()
    {
        var result = await RunAsync(Facts() with { Dkim = new DkimFacts("example.com", [new DkimSelectorFact("old", false), new DkimSelectorFact("new", true)]) });

        Assert.Equal("bulk.compliant", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task No_dkim_selector_configured_is_a_warning_that_dkim_is_unverified()
    {
        var result = await RunAsync(Facts() with { Dkim = new DkimFacts("example.com", []) });

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal("bulk.dkim_unverified", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task No_dmarc_record_is_an_error()
    {
        var result = await RunAsync(Facts() with { Dmarc = new DmarcFacts(false, null, false, false) });

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("bulk.dmarc_missing", Assert.Single(result.Findings).Code);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("quarantine")]
    [InlineData("reject")]
    public async Task Any_dmarc_policy_from_none_up_is_enough(string policy)
    {
        var result = await RunAsync(Facts() with { Dmarc = new DmarcFacts(true, policy, true, false) });

        Assert.Equal("bulk.compliant", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Dmarc_aligned_through_dkim_only_is_enough()
    {
        var result = await RunAsync(Facts() with { Dmarc = new DmarcFacts(true, "none", false, true) });

        Assert.Equal("bulk.compliant", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Dmarc_aligned_with_neither_spf_nor_dkim_is_an_error()
    {
        var result = await RunAsync(Facts() with { Dmarc = new DmarcFacts(true, "reject", false, false) });

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("bulk.dmarc_unaligned", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Ip_without_forward_confirmed_reverse_dns_is_an_error_naming_gmail_and_yahoo()
    {
        var result = await RunAsync(Facts() with { ReverseDns = new ReverseDnsFacts(new Dictionary<IPAddress, bool> { [Ip1] = true, [Ip2] = false }) });

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("bulk.fcrdns_missing", finding.Code);
        Assert.Equal(Ip2.ToString(), finding.Subject);
        Assert.Contains("Gmail and Yahoo", finding.Message);
    }

    [Fact]
    public async Task Ip_missing_from_the_reverse_dns_facts_is_inconclusive()
    {
        var result = await RunAsync(Facts() with { ReverseDns = new ReverseDnsFacts(new Dictionary<IPAddress, bool> { [Ip1] = true }) });

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("bulk.fcrdns_unknown", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Missing_facts_make_the_verdict_inconclusive_and_say_why()
    {
        var result = await RunAsync(new PublishedFacts(null, null, null, null));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal(
            ["bulk.dkim_unknown", "bulk.dmarc_unknown", "bulk.fcrdns_unknown", "bulk.fcrdns_unknown", "bulk.spf_unknown"],
            result.Findings.Select(f => f.Code).Order());
        Assert.All(result.Findings, f => Assert.Contains("inconclusive or did not run", f.Message));
    }

    [Fact]
    public async Task A_definite_failure_beside_an_unknown_keeps_the_error_status()
    {
        var result = await RunAsync(Facts() with { Spf = null, Dmarc = new DmarcFacts(false, null, false, false) });

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "bulk.spf_unknown");
        Assert.Contains(result.Findings, f => f.Code == "bulk.dmarc_missing");
    }

    [Fact]
    public async Task Every_unmet_point_is_its_own_finding()
    {
        var facts = new PublishedFacts(
            new SpfFacts("example.com", true, new Dictionary<IPAddress, SpfResult> { [Ip1] = SpfResult.Fail, [Ip2] = SpfResult.Fail }),
            new DkimFacts("example.com", [new DkimSelectorFact("s1", false)]),
            new DmarcFacts(true, "none", false, false),
            new ReverseDnsFacts(new Dictionary<IPAddress, bool> { [Ip1] = false, [Ip2] = false }));

        var result = await RunAsync(facts);

        Assert.Equal(
            ["bulk.dkim_missing", "bulk.dmarc_unaligned", "bulk.fcrdns_missing", "bulk.fcrdns_missing", "bulk.spf_not_passing", "bulk.spf_not_passing"],
            result.Findings.Select(f => f.Code).Order());
        Assert.All(result.Findings, f => Assert.NotEmpty(f.Fix));
    }

    [Fact]
    public async Task No_sending_ips_is_a_warning_and_never_compliant()
    {
        var result = await RunAsync(Facts(), ips: []);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal("bulk.ips_not_configured", Assert.Single(result.Findings).Code);
    }

    private static PublishedFacts Facts() => new(
        new SpfFacts("example.com", true, new Dictionary<IPAddress, SpfResult> { [Ip1] = SpfResult.Pass, [Ip2] = SpfResult.Pass }),
        new DkimFacts("example.com", [new DkimSelectorFact("s1", true)]),
        new DmarcFacts(true, "none", true, true),
        new ReverseDnsFacts(new Dictionary<IPAddress, bool> { [Ip1] = true, [Ip2] = true }));

    private static async Task<CheckResult> RunAsync(PublishedFacts facts, IPAddress[]? ips = null)
    {
        // No query is made: the verdict reads facts only, so the resolver points at a port nothing listens on.
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = ["127.0.0.1:9"] });
        var context = new DomainAuditContext(new DomainAuditRequest("example.com", ["s1"], ips ?? [Ip1, Ip2]), resolver);
        facts.PublishTo(context);
        return await new BulkSenderCheck().RunAsync(context, CancellationToken.None);
    }

    private sealed record PublishedFacts(SpfFacts? Spf, DkimFacts? Dkim, DmarcFacts? Dmarc, ReverseDnsFacts? ReverseDns)
    {
        public void PublishTo(DomainAuditContext context)
        {
            if (Spf is not null)
            {
                context.Publish(Spf);
            }

            if (Dkim is not null)
            {
                context.Publish(Dkim);
            }

            if (Dmarc is not null)
            {
                context.Publish(Dmarc);
            }

            if (ReverseDns is not null)
            {
                context.Publish(ReverseDns);
            }
        }
    }
}
