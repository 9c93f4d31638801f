using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Tests.Settings;

/// <summary>
/// <c>/api/settings/domains</c> over the real service: what the API adds is monitored and audited at once, as from
/// Settings → Domains; one domain however its name is written; configured domains are read-only; bad input is refused
/// field by field with the words start-up validation uses, and nothing is stored.
/// </summary>
public sealed class DomainSettingsApiTests : ServiceFixture
{
    [Fact]
    public async Task A_domain_added_through_the_api_is_monitored_and_audited_at_once()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("xn--bcher-kva.test"), "ok");
        await using var app = StartService();
        var client = app.CreateClient();

        var added = await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new { name = "Bücher.TEST.", dkimSelectors = new[] { "S1", "s2" }, sendingIps = new[] { "192.0.2.10" } });

        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal(("xn--bcher-kva.test", "dashboard", "s1 s2", "192.0.2.10"), (
            added.Json.GetProperty("name").GetString(),
            added.Json.GetProperty("source").GetString(),
            string.Join(' ', added.Json.GetProperty("dkimSelectors").EnumerateArray().Select(s => s.GetString())),
            added.Json.GetProperty("sendingIps")[0].GetString()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAnswerAsync("/api/settings/domains/b%C3%BCcher.test")).Status);
        var monitored = await app.Services.GetRequiredService<MonitoredDomainCatalog>().GetAllAsync(default);
        Assert.Equal(["xn--bcher-kva.test"], monitored.Select(d => d.Name.Ascii));

        var store = app.Services.GetRequiredService<AuditResultStore>();
        var audit = await WaitForAuditAsync(store, "xn--bcher-kva.test");
        Assert.Contains(audit.Checks, c => c.Check == MarkerCheck.CheckName && c.Status == Core.Audits.CheckStatus.Ok);
        var listed = await client.GetAnswerAsync("/api/domains");
        Assert.Equal("xn--bcher-kva.test", listed.Json[0].GetProperty("domain").GetString());
    }

    [Fact]
    public async Task A_domain_is_changed_and_removed_but_not_renamed_and_a_second_add_is_a_conflict()
    {
        await using var app = StartService();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new { name = "shop.test" })).Status);

        var again = await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new { name = "SHOP.test." });
        var changed = await client.SendAsync(HttpMethod.Put, "/api/settings/domains/Shop.Test", new { dkimSelectors = new[] { "mail" }, returnPathDomain = "bounces.shop.test" });
        var renamed = await client.SendAsync(HttpMethod.Put, "/api/settings/domains/shop.test", new { name = "other.test" });

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(("mail", "bounces.shop.test"), (changed.Json.GetProperty("dkimSelectors")[0].GetString(), changed.Json.GetProperty("returnPathDomain").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, renamed.Status);
        var stored = await app.Services.GetRequiredService<MonitoredDomainCatalog>().FindAsync(Core.Dns.DomainName.Parse("shop.test"), default);
        Assert.Equal(["mail"], stored!.Domain.DkimSelectors);

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/api/settings/domains/shop.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAnswerAsync("/api/settings/domains/shop.test")).Status);
        Assert.Empty(await app.Services.GetRequiredService<MonitoredDomainCatalog>().GetAllAsync(default));
    }

    [Fact]
    public async Task A_configured_domain_is_listed_read_only()
    {
        await using var app = StartService(Domains("configured.test"));
        var client = app.CreateClient();

        var list = await client.GetAnswerAsync("/api/settings/domains");
        var put = await client.SendAsync(HttpMethod.Put, "/api/settings/domains/configured.test", new { dkimSelectors = new[] { "s1" } });
        var delete = await client.SendAsync(HttpMethod.Delete, "/api/settings/domains/CONFIGURED.test");
        var post = await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new { name = "Configured.Test" });

        Assert.Equal(("configured.test", "configuration"), (list.Json[0].GetProperty("name").GetString(), list.Json[0].GetProperty("source").GetString()));
        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], new[] { put.Status, delete.Status, post.Status });
        Assert.Contains("Monitor:Domains", put.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_field_is_named_with_the_words_of_start_up_validation_and_nothing_is_stored()
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var answer = await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new
        {
            name = "not a domain",
            dkimSelectors = new[] { "s1", "-bad-" },
            sendingIps = new[] { "192.0.2.300" },
            dkimSigningDomain = "a..b",
        });
        var tooMany = await client.SendAsync(HttpMethod.Post, "/api/settings/domains", new { name = "many.test", sendingIps = Enumerable.Range(1, 101).Select(i => $"192.0.2.{i}").ToArray() });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["name", "dkimSelectors[1]", "sendingIps[0]", "dkimSigningDomain"], answer.ErrorFields);
        Assert.Contains("'-bad-' is not a valid DKIM selector", answer.Error("dkimSelectors[1]"), StringComparison.Ordinal);
        Assert.Contains("'192.0.2.300' is not an IP address", answer.Error("sendingIps[0]"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Equal("at most 100 items (was 101)", tooMany.Error("sendingIps"));
        Assert.Equal("[]", (await client.GetAnswerAsync("/api/settings/domains")).Body);

        // The same rules refuse the same values in configuration, with the same words under the configuration key.
        var startUp = await StartUpFailureAsync([("Monitor:Domains:0:Name", "shop.test"), ("Monitor:Domains:0:DkimSelectors:0", "-bad-")]);
        Assert.Contains("Monitor:Domains:0:DkimSelectors:0: '-bad-' is not a valid DKIM selector", startUp, StringComparison.Ordinal);
    }

    private static async Task<StoredAudit> WaitForAuditAsync(AuditResultStore store, string domain)
    {
        // The first audit runs in the background after the answer: wait for it, bounded.
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await store.GetLatestAsync(domain) is { } audit)
            {
                return audit;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No audit of {domain} was stored within 30 s of adding it.");
    }
}
