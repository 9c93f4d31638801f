using System.Net.Http.Json;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

/// <summary>The service end to end with the real audit: a record broken in DNS is stored, served and healed.</summary>
public sealed class ProductChecksApiTests : ServiceFixture
{
    [Fact]
    public async Task A_broken_spf_record_is_served_with_its_fix_and_its_repair_is_one_more_change()
    {
        Dns.Zone
            .Txt("shop.test", "v=spf1 ip4:192.0.2.0/24 +all")
            .Txt("_dmarc.shop.test", "v=DMARC1; p=reject; rua=mailto:dmarc@shop.test")
            .Mx("shop.test", 10, "mx.shop.test")
            .A("mx.shop.test", "192.0.2.25");
        await using var app = StartServiceWithProductChecks(Domains("shop.test"));
        var client = app.CreateClient();

        var broken = await (await client.PostAsync("/api/domains/shop.test/audit", null)).Content.ReadFromJsonAsync<DomainAuditDto>();

        var spf = Assert.Single(broken!.Checks, c => c.Check == "spf");
        Assert.Equal("error", spf.Status);
        var permissive = Assert.Single(spf.Findings, f => f.Code == "spf.permissive_all");
        Assert.Equal("error", permissive.Severity);
        Assert.False(string.IsNullOrWhiteSpace(permissive.Fix));
        Assert.Contains("v=spf1 ip4:192.0.2.0/24 +all", spf.Records);
        Assert.Contains(broken.Checks, c => c.Check == "dmarc");

        Dns.Zone.ReplaceTxt("shop.test", "v=spf1 ip4:192.0.2.0/24 -all");
        var fixedAudit = await (await client.PostAsync("/api/domains/shop.test/audit", null)).Content.ReadFromJsonAsync<DomainAuditDto>();
        var history = await client.GetFromJsonAsync<TransitionDto[]>("/api/domains/shop.test/history?check=spf");

        Assert.DoesNotContain(Assert.Single(fixedAudit!.Checks, c => c.Check == "spf").Findings, f => f.Code == "spf.permissive_all");
        Assert.Equal([(null, "error"), ("error", Assert.Single(fixedAudit.Checks, c => c.Check == "spf").Status)], history!.Reverse().Select(t => (t.From, t.To)));
    }
}
