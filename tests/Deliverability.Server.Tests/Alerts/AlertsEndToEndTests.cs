using System.Net.Http.Json;
using System.Text.Json;
using Deliverability.Contracts.Alerts;
using Deliverability.Server.Domains;
using Deliverability.Testing.Http;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>
/// The acceptance of the alerts: a broken SPF record in a real test DNS zone, found by the scheduled audit with the
/// product's checks, gives one firing notification per receiver after the <c>for</c> (two runs), one resolve when
/// fixed, and nothing while silenced. The receivers are real: Alertmanager-style webhooks on a Kestrel server on
/// 127.0.0.1, reached through the product's notifiers. Real time with short intervals; waits are counted in audit runs.
/// </summary>
public sealed class AlertsEndToEndTests : ServiceFixture
{
    private const string Broken = "v=spf1 ip4:192.0.2.0/24 +all";
    private const string Fixed = "v=spf1 ip4:192.0.2.0/24 -all";

    [Fact]
    public async Task A_broken_spf_record_fires_once_per_receiver_resolves_once_and_stays_quiet_while_silenced()
    {
        Dns.Zone
            .Txt("shop.test", Broken)
            .Txt("_dmarc.shop.test", "v=DMARC1; p=reject; rua=mailto:dmarc@shop.test")
            .Mx("shop.test", 10, "mx.shop.test")
            .A("mx.shop.test", "192.0.2.25");
        await using var receivers = await TestHttpReceiver.StartAsync();
        await using var service = StartServiceWithProductChecks(
        [
            ("Monitor:Alerts:Receivers:0:Name", "pager"),
            ("Monitor:Alerts:Receivers:0:Type", "webhook"),
            ("Monitor:Alerts:Receivers:0:Url", receivers.Url("pager")),
            ("Monitor:Alerts:Receivers:1:Name", "chat"),
            ("Monitor:Alerts:Receivers:1:Type", "webhook"),
            ("Monitor:Alerts:Receivers:1:Url", receivers.Url("chat")),
            ("Monitor:Alerts:Receivers:2:Name", "other"),
            ("Monitor:Alerts:Receivers:2:Type", "webhook"),
            ("Monitor:Alerts:Receivers:2:Url", receivers.Url("other")),
            ("Monitor:Domains:0:Name", "shop.test"),
            ("Monitor:Audit:FirstRunDelay", "00:00:00"),
            ("Monitor:Audit:Schedule", "00:00:03"), // slower than the evaluation, so the first bad run is seen as pending
            ("Monitor:Alerts:EvaluationInterval", "00:00:01"),
            ("Monitor:Alerts:Rules:CheckStatus:ForRuns", "2"),
            ("Monitor:Alerts:Rules:StaleData:Enabled", "false"),
            ("Monitor:Alerts:Route:Receivers:0", "other"),
            ("Monitor:Alerts:Route:GroupWait", "00:00:01"),
            ("Monitor:Alerts:Route:GroupInterval", "00:00:02"),
            ("Monitor:Alerts:Route:Routes:0:Matchers:0", "alertname=CheckFailing"),
            ("Monitor:Alerts:Route:Routes:0:Matchers:1", "check=spf"),
            ("Monitor:Alerts:Route:Routes:0:Receivers:0", "pager"),
            ("Monitor:Alerts:Route:Routes:0:Receivers:1", "chat"),
        ]);
        var client = service.CreateClient();

        // Broken: pending for the first run, firing from the second; one notification to each receiver of the route.
        await PollAsync(() => Payloads(receivers, "pager").Length > 0 && Payloads(receivers, "chat").Length > 0);
        await WaitForAuditsAsync(client, 3);
        var spf = await SpfAlertAsync(client);
        Assert.Equal(["firing"], Statuses(receivers, "pager"));
        Assert.Equal(["firing"], Statuses(receivers, "chat"));
        var firing = Assert.Single(Payloads(receivers, "pager")[0].GetProperty("alerts").EnumerateArray());
        Assert.Equal("spf", firing.GetProperty("labels").GetProperty("check").GetString());
        Assert.Contains("+all", firing.GetProperty("annotations").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Payloads(receivers, "other").SelectMany(p => p.GetProperty("alerts").EnumerateArray()), a => a.GetProperty("labels").GetProperty("check").GetString() == "spf");
        Assert.Equal([(null, "pending"), ("pending", "firing")], spf.History.Select(h => (h.From, h.To)).Take(2));

        // Fixed: one resolve each.
        Dns.Zone.ReplaceTxt("shop.test", Fixed);
        await PollAsync(() => Payloads(receivers, "pager").Length > 1 && Payloads(receivers, "chat").Length > 1);
        await WaitForAuditsAsync(client, 3);
        Assert.Equal(["firing", "resolved"], Statuses(receivers, "pager"));
        Assert.Equal(["firing", "resolved"], Statuses(receivers, "chat"));

        // Silenced, broken again: the alert fires (stored, muted) but nobody is told.
        var created = await client.PostAsJsonAsync("/api/alerts/silences", new { matchers = new[] { "domain=shop.test" }, duration = "01:00:00", createdBy = "alice", comment = "DNS migration" });
        created.EnsureSuccessStatusCode();
        var silence = (await created.Content.ReadFromJsonAsync<SilenceDto>())!;
        Dns.Zone.ReplaceTxt("shop.test", Broken);
        await PollAsync(async () => (await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?state=firing&filter=check%3Dspf"))!.Any(a => a.MutedBy == $"silence:{silence.Id}"));
        await WaitForAuditsAsync(client, 3);
        Assert.Equal(["firing", "resolved"], Statuses(receivers, "pager"));
        Assert.Equal(["firing", "resolved"], Statuses(receivers, "chat"));
    }

    /// <summary>The webhook payloads (version 4) one receiver got, in order.</summary>
    private static JsonElement[] Payloads(TestHttpReceiver receivers, string receiver) =>
        receivers.Requests.Where(r => r.Path == "/" + receiver).Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToArray();

    private static string[] Statuses(TestHttpReceiver receivers, string receiver) =>
        Payloads(receivers, receiver).Select(p => p.GetProperty("status").GetString()!).ToArray();

    private static async Task<AlertDetailDto> SpfAlertAsync(HttpClient client)
    {
        var alert = Assert.Single((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?alertname=CheckFailing&filter=check%3Dspf"))!);
        return (await client.GetFromJsonAsync<AlertDetailDto>($"/api/alerts/{alert.Fingerprint}"))!;
    }

    /// <summary>Waits until the scheduled audit has stored <paramref name="runs"/> more results (a quiet period long enough for a wrong notification to show).</summary>
    private static async Task WaitForAuditsAsync(HttpClient client, int runs)
    {
        var seen = new HashSet<DateTimeOffset>();
        await PollAsync(async () =>
        {
            var domain = (await client.GetFromJsonAsync<DomainAuditDto>("/api/domains/shop.test"))!;
            seen.Add(domain.CheckedAt);
            return seen.Count > runs;
        });
    }

    private static Task PollAsync(Func<bool> done) => PollAsync(() => Task.FromResult(done()));

    // Generous: audits with the product's checks on 2 shared cores; nothing here measures time.
    private static async Task PollAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the service");
            await Task.Delay(200);
        }
    }
}
