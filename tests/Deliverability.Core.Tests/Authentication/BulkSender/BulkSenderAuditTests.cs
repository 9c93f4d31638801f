using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.BulkSender;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.BulkSender;

/// <summary>The verdict inside a real audit: the reverse DNS check reads a real DNS server and hands its facts on.</summary>
public sealed class BulkSenderAuditTests : IAsyncLifetime
{
    private static readonly IPAddress Confirmed = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Unconfirmed = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Slow = IPAddress.Parse("192.0.2.3");

    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .PtrFor("192.0.2.1", "mail.example.test")
            .A("mail.example.test", "192.0.2.1")
            .Timeout(TestZone.ReverseName(Slow)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Forward_confirmed_ip_with_the_other_facts_met_is_compliant()
    {
        var report = await AuditAsync(Confirmed);

        var bulk = Assert.Single(report.Checks, c => c.Check == "bulk-sender");
        Assert.Equal("bulk.compliant", Assert.Single(bulk.Findings).Code);
    }

    [Fact]
    public async Task Ip_without_reverse_dns_fails_the_verdict()
    {
        var report = await AuditAsync(Unconfirmed);

        var bulk = Assert.Single(report.Checks, c => c.Check == "bulk-sender");
        Assert.Equal(CheckStatus.Error, bulk.Status);
        Assert.Equal("bulk.fcrdns_missing", Assert.Single(bulk.Findings).Code);
    }

    [Fact]
    public async Task Reverse_dns_timeout_leaves_the_verdict_inconclusive()
    {
        var report = await AuditAsync(Slow);

        var bulk = Assert.Single(report.Checks, c => c.Check == "bulk-sender");
        Assert.Equal(CheckStatus.Unknown, bulk.Status);
        Assert.Equal("bulk.fcrdns_unknown", Assert.Single(bulk.Findings).Code);
    }

    private async Task<DomainAuditReport> AuditAsync(IPAddress ip)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var checks = new IDomainCheck[] { new PassingFactsCheck(ip), new ReverseDnsCheck(), new BulkSenderCheck() };
        return await new DomainAuditor(resolver, checks).AuditAsync(new DomainAuditRequest("example.test", ["s1"], [ip]));
    }

    /// <summary>Stands in for the SPF, DKIM and DMARC checks (built elsewhere) by publishing passing facts in stage 0.</summary>
    private sealed class PassingFactsCheck(IPAddress ip) : IDomainCheck
    {
        public string Name => "facts";

        public Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
        {
            context.Publish(new SpfFacts("example.test", true, new Dictionary<IPAddress, SpfResult> { [ip] = SpfResult.Pass }));
            context.Publish(new DkimFacts("example.test", [new DkimSelectorFact("s1", true)]));
            context.Publish(new DmarcFacts(true, "reject", true, true));
            return Task.FromResult(CheckResult.From(Name, []));
        }
    }
}
