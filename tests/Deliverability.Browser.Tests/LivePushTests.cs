using System.Net.Http.Json;
using Microsoft.Playwright;
using Deliverability.Contracts.Alerts;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Host;
using Deliverability.Testing.Postgres;
using Deliverability.Testing.Redis;

namespace Deliverability.Browser.Tests;

/// <summary>
/// Two nodes on one PostgreSQL database and one Redis: node A a service process of its own, node B the dashboard open in
/// Chromium. An alert raised and acknowledged through A's API appears on B's open page without a reload.
/// </summary>
public sealed class LivePushTests(Chromium chromium, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<Chromium>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const string Domain = "shop.test";
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        // No SPF record at all: the spf check fails, and the CheckFailing alert fires on the first audit.
        _dns = TestDnsServer.Start(new TestZone().Mx(Domain, 10, "mx." + Domain).A("mx." + Domain, "192.0.2.25"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task An_alert_raised_and_acknowledged_on_node_a_appears_on_node_b_open_alerts_page_without_reload()
    {
        var shared = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = postgres.Server.ConnectionString("monitor"),
            ["Monitor:LiveFeed:Redis"] = redis.Server.ConnectionString,
            ["Monitor:Domains:0:Name"] = Domain,
            // Audits only when asked through the API (on A); B evaluates alerts only at its start and ten minutes later.
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Monitor:Alerts:Rules:CheckStatus:ForRuns"] = "1",
            ["Monitor:Alerts:Rules:StaleData:Enabled"] = "false",
            ["Dns:NameServers:0"] = _dns.Endpoint,
            ["Dns:TimeoutSeconds"] = "5",
            ["Auth:ApiKeys:0:Name"] = "test-operator",
            ["Auth:ApiKeys:0:Role"] = "Operator",
            ["Auth:ApiKeys:0:Key"] = TestApiKeys.Operator,
            ["Auth:FirstAdmin:Password"] = TestApiKeys.AdminPassword,
        };
        await using var nodeA = await ServiceNodeProcess.StartAsync(new Dictionary<string, string>(shared) { ["Monitor:Alerts:EvaluationInterval"] = "00:00:01" });
        await using var nodeB = new DashboardServer(_dns.Endpoint);
        foreach (var (key, value) in shared)
        {
            nodeB.ExtraSettings[key] = value;
        }

        nodeB.ExtraSettings["Monitor:Alerts:EvaluationInterval"] = "00:10:00";
        await nodeB.StartAsync();
        using (var health = new HttpClient { BaseAddress = new Uri(nodeB.BaseUrl) })
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await health.GetStringAsync("/health") != "Healthy")
            {
                Assert.True(DateTime.UtcNow < deadline, "node B never reported the live push healthy");
                await Task.Delay(200);
            }
        }

        var viewer = await DashboardPage.SignInAsync(chromium.Browser, nodeB, "viewer");
        await viewer.GotoAsync($"{nodeB.BaseUrl}/alerts");
        await DashboardPage.WaitForInteractivityAsync(viewer);
        await Assertions.Expect(SpfAlert(viewer)).ToHaveCountAsync(0);

        using var api = new HttpClient { BaseAddress = new Uri(nodeA.BaseUrl) };
        api.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Operator);
        (await api.PostAsync($"/api/domains/{Domain}/audit", null)).EnsureSuccessStatusCode();

        // Raised on A, shown on B's open page: it arrives over B's circuit, relayed through Redis.
        await Assertions.Expect(SpfAlert(viewer)).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(SpfAlert(viewer).Locator("[data-testid=acknowledged-by]")).ToBeEmptyAsync();

        var alerts = (await api.GetFromJsonAsync<AlertDto[]>($"/api/alerts?state=firing&domain={Domain}"))!;
        var spf = alerts.Single(a => a.Labels.GetValueOrDefault("check") == "spf");
        (await api.PostAsJsonAsync($"/api/alerts/{spf.Fingerprint}/acknowledge", new { by = "night shift" })).EnsureSuccessStatusCode();

        await Assertions.Expect(SpfAlert(viewer).Locator("[data-testid=acknowledged-by]")).ToContainTextAsync("api-key:test-operator", new() { Timeout = DashboardPage.Patience });
        await DashboardPage.ScreenshotAsync(viewer, "live-push-node-b");
    }

    private static ILocator SpfAlert(IPage page) => page.Locator("tr[data-alert=CheckFailing]", new() { HasText = $"check=spf, domain={Domain}" });
}
