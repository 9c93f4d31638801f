using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Core.Alerts;
using Monitor.Server.Api;

namespace Monitor.Server.Tests.Alerts;

/// <summary>
/// The acceptance of the alerts: a broken SPF record in a real test DNS zone, found by the scheduled audit with the
/// product's checks, gives one firing notification per receiver after the <c>for</c> (two runs), one resolve when
/// fixed, and nothing while silenced. Real time with short intervals; waits are counted in audit runs, not seconds.
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
        var sender = new RecordingNotificationSender("pager", "chat", "other");
        await using var service = StartServiceWithProductChecks(
        [
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
        await using var app = service.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IAlertNotificationSender>(sender)));
        var client = app.CreateClient();

        // Broken: pending for the first run, firing from the second; one notification to each receiver of the route.
        await PollAsync(() => sender.To("pager").Count > 0 && sender.To("chat").Count > 0);
        await WaitForAuditsAsync(client, 3);
        var spf = await SpfAlertAsync(client);
        Assert.Equal(["firing"], Statuses(sender, "pager"));
        Assert.Equal(["firing"], Statuses(sender, "chat"));
        Assert.Equal("spf", Assert.Single(sender.To("pager")[0].Alerts).Labels["check"]);
        Assert.Contains("+all", Assert.Single(sender.To("pager")[0].Alerts).Annotations["description"], StringComparison.Ordinal);
        Assert.Equal([(null, "pending"), ("pending", "firing")], spf.History.Select(h => (h.From, h.To)).Take(2));

        // Fixed: one resolve each.
        Dns.Zone.ReplaceTxt("shop.test", Fixed);
        await PollAsync(() => sender.To("pager").Count > 1 && sender.To("chat").Count > 1);
        await WaitForAuditsAsync(client, 3);
        Assert.Equal(["firing", "resolved"], Statuses(sender, "pager"));
        Assert.Equal(["firing", "resolved"], Statuses(sender, "chat"));

        // Silenced, broken again: the alert fires (stored, muted) but nobody is told.
        var created = await client.PostAsJsonAsync("/api/alerts/silences", new { matchers = new[] { "domain=shop.test" }, duration = "01:00:00", createdBy = "alice", comment = "DNS migration" });
        created.EnsureSuccessStatusCode();
        var silence = (await created.Content.ReadFromJsonAsync<SilenceDto>())!;
        Dns.Zone.ReplaceTxt("shop.test", Broken);
        await PollAsync(async () => (await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?state=firing&filter=check%3Dspf"))!.Any(a => a.MutedBy == $"silence:{silence.Id}"));
        await WaitForAuditsAsync(client, 3);
        Assert.Equal(["firing", "resolved"], Statuses(sender, "pager"));
        Assert.Equal(["firing", "resolved"], Statuses(sender, "chat"));
    }

    private static string[] Statuses(RecordingNotificationSender sender, string receiver) =>
        sender.To(receiver).Select(n => n.Status.ToString().ToLowerInvariant()).ToArray();

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
