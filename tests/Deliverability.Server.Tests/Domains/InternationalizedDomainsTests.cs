using System.Net;
using System.Net.Http.Json;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

/// <summary>A domain written in Unicode (U-label) is one domain with its A-label, in configuration, the API and the form.</summary>
public sealed class InternationalizedDomainsTests : ServiceFixture
{
    [Fact]
    public async Task A_u_label_in_configuration_is_monitored_audited_and_listed_under_its_a_label()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("xn--bcher-kva.test"), "ok");
        await using var app = StartService(Domains("Bücher.Test."));
        var client = app.CreateClient();

        var before = await client.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains");
        var audit = await client.PostAsync($"/api/domains/{Uri.EscapeDataString("bücher.test")}/audit", null);
        var stored = await client.GetFromJsonAsync<DomainAuditDto>("/api/domains/xn--bcher-kva.test");

        Assert.Equal(["xn--bcher-kva.test"], before!.Select(d => d.Domain));
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        var audited = await audit.Content.ReadFromJsonAsync<DomainAuditDto>();
        Assert.Equal(("xn--bcher-kva.test", "ok"), (audited!.Domain, audited.Status));
        Assert.Equal(audited.CheckedAt, stored!.CheckedAt);
        Assert.Equal(["ok"], Assert.Single(stored.Checks).Records); // read from _marker.xn--bcher-kva.test
    }

    [Fact]
    public async Task The_same_domain_as_u_label_and_a_label_in_configuration_stops_start_up_as_a_duplicate()
    {
        var messages = await StartUpFailureAsync(Domains("bücher.test", "XN--BCHER-KVA.test"));

        Assert.Contains("Monitor:Domains:1:Name: 'xn--bcher-kva.test' is already configured at Monitor:Domains:0", messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData(" Bücher.Example. ", "xn--bcher-kva.example")]
    [InlineData("mail.mañana.example", "mail.xn--maana-pta.example")]
    public void The_add_domain_form_accepts_a_u_label_and_stores_its_a_label(string typed, string stored)
    {
        var input = new DomainInput { Name = typed, ReturnPathDomain = "bounce." + typed.Trim(), SendingIps = "192.0.2.1" };

        Assert.Empty(DomainInput.NameErrors(input.Name));
        Assert.Empty(DomainInput.OptionalDomainErrors(input.ReturnPathDomain));
        Assert.True(input.IsValid);
        var domain = input.ToMonitoredDomain();
        Assert.Equal((stored, "bounce." + stored), (domain.Name, domain.ReturnPathDomain));
    }
}
