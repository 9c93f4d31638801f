using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Dns;
using Deliverability.Core.Tests.Authentication.Dkim;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Dmarc;

/// <summary>DKIM and DMARC inside a full audit: registered in the one list of checks, run by the auditor.</summary>
public sealed class DkimAndDmarcAuditTests
{
    [Fact]
    public void Full_audit_runs_the_dkim_and_dmarc_checks()
    {
        var names = DomainChecks.All().Select(c => c.Name).ToArray();

        Assert.Contains("dkim", names);
        Assert.Contains("dmarc", names);
    }

    [Fact]
    public async Task Auditor_reports_both_checks_and_their_worst_finding()
    {
        await using var dns = TestDnsServer.Start(new TestZone()
            .Txt("s1._domainkey.shop.example", DkimTestKeys.TxtStrings($"v=DKIM1; k=rsa; p={DkimTestKeys.RsaSpki(2048)}"))
            .Txt("_dmarc.shop.example", "v=DMARC1; p=none; rua=mailto:dmarc@shop.example"));
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [dns.Endpoint], TimeoutSeconds = 2, Retries = 0, UseCache = false });
        var auditor = new DomainAuditor(resolver, [new DkimCheck(), new DmarcCheck()]);

        var report = await auditor.AuditAsync(new DomainAuditRequest("Shop.Example.", ["s1"], []));

        Assert.Equal("shop.example", report.Domain);
        Assert.Equal([CheckStatus.Ok, CheckStatus.Warning], report.Checks.Select(c => c.Status));
        Assert.Equal("dmarc.policy_none", Assert.Single(report.Findings, f => f.Severity != Severity.Info).Code);
        Assert.Equal(1, report.ExitCode);
    }
}
