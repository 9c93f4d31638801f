using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

/// <summary>Domains added from the dashboard are stored, audited with the configured ones, and served by the API.</summary>
public sealed class AddedDomainsTests : ServiceFixture
{
    [Fact]
    public async Task Added_domain_is_audited_by_the_cycle_alongside_the_configured_ones_and_survives_a_restart()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("configured.test"), "ok").Txt(MarkerCheck.RecordName("added.test"), "broken");
        await using (var app = StartService(Domains("configured.test")))
        {
            var catalog = app.Services.GetRequiredService<MonitoredDomainCatalog>();
            Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "Added.TEST.", DkimSelectors = ["s1"], SendingIps = ["192.0.2.7"] }, "admin", CancellationToken.None));

            var outcome = await app.Services.GetRequiredService<AuditCycle>().RunAsync(CancellationToken.None);

            Assert.Equal(2, outcome.Audited);
            var list = await app.CreateClient().GetFromJsonAsync<DomainSummaryDto[]>("/api/domains");
            Assert.Equal([("configured.test", "ok"), ("added.test", "error")], list!.Select(d => (d.Domain, d.Status)));
        }

        await using var restarted = StartService(Domains("configured.test"));
        var added = await restarted.Services.GetRequiredService<MonitoredDomainCatalog>().FindAsync(DomainName.Parse("added.test"), CancellationToken.None);
        Assert.NotNull(added);
        Assert.Equal((DomainOrigin.Dashboard, "s1", "192.0.2.7"), (added.Origin, Assert.Single(added.Domain.DkimSelectors), Assert.Single(added.Domain.SendingIps)));
        Assert.Equal("error", (await restarted.CreateClient().GetFromJsonAsync<DomainAuditDto>("/api/domains/added.test"))!.Status);
    }

    [Fact]
    public async Task A_configured_name_cannot_be_added_again_and_only_added_domains_can_be_removed()
    {
        await using var app = StartService(Domains("configured.test"));
        _ = app.CreateClient();
        var catalog = app.Services.GetRequiredService<MonitoredDomainCatalog>();

        Assert.False(await catalog.AddAsync(new MonitoredDomain { Name = "CONFIGURED.test" }, "admin", CancellationToken.None));
        Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "added.test" }, "admin", CancellationToken.None));
        Assert.False(await catalog.AddAsync(new MonitoredDomain { Name = "added.test" }, "admin", CancellationToken.None));

        Assert.False(await catalog.RemoveAsync(DomainName.Parse("configured.test"), CancellationToken.None));
        Assert.True(await catalog.RemoveAsync(DomainName.Parse("added.test"), CancellationToken.None));
        Assert.Equal(["configured.test"], (await catalog.GetAllAsync(CancellationToken.None)).Select(d => d.Name.Ascii));
    }

    [Theory]
    [InlineData("not a domain", "", "", "'not a domain' is not a valid domain name.")]
    [InlineData("example.test", "s1 bad!", "", "'bad!' is not a valid DKIM selector")]
    [InlineData("example.test", "", "192.0.2.1, 300.1.1.1", "'300.1.1.1' is not an IP address.")]
    [InlineData("example.test", "", "12345", "'12345' is not an IP address.")]
    [InlineData("example.test", "", "192.0.2", "'192.0.2' is not an IP address.")]
    [InlineData("example.test", "", "010.0.0.1", "'010.0.0.1' is not an IP address.")]
    [InlineData("example.test", "", "fe80::1%eth0", "'fe80::1%eth0' is not an IP address.")]
    public void Each_field_of_the_add_domain_form_names_the_bad_value(string name, string selectors, string ips, string expected)
    {
        var input = new Deliverability.Server.Domains.DomainInput { Name = name, DkimSelectors = selectors, SendingIps = ips };

        var messages = Deliverability.Server.Domains.DomainInput.NameErrors(input.Name)
            .Concat(Deliverability.Server.Domains.DomainInput.SelectorErrors(input.DkimSelectors))
            .Concat(Deliverability.Server.Domains.DomainInput.IpErrors(input.SendingIps));

        Assert.False(input.IsValid);
        Assert.Contains(messages, m => m.StartsWith(expected, StringComparison.Ordinal));
    }
}
