using Microsoft.Playwright;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Http;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The Load tests pages in a real browser: an Operator runs a stored HTTP scenario against a Kestrel receiver on
/// 127.0.0.1 from the page, watches it end, opens its report (tables and the engine's charts in a sandboxed frame),
/// and the Overview shows the send path's capacity.
/// </summary>
public sealed class LoadTestsPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly string _scenarios = Path.Combine(Path.GetTempPath(), "monitor-browser-scenarios-" + Guid.NewGuid().ToString("N"));
    private TestDnsServer _dns = null!;
    private TestHttpReceiver _receiver = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        _receiver = await TestHttpReceiver.StartAsync();
        Directory.CreateDirectory(_scenarios);
        // 15 requests a second for 3 s over 3 connections: short, bounded (30 s, 500 messages) and only to 127.0.0.1.
        await File.WriteAllTextAsync(Path.Combine(_scenarios, "webhook.json"), $$$"""
            {
              "name": "webhook-send",
              "kind": "http",
              "sendPath": "webhook",
              "http": {
                "method": "POST",
                "url": "{{{_receiver.Url("send")}}}",
                "headers": { "Content-Type": "application/json" },
                "body": { "id": "{{uuid}}", "to": "{{recipient}}" },
                "recipients": ["hook@example.com"],
                "connections": 3
              },
              "load": { "rate": 15, "duration": "3s" },
              "thresholds": ["p99 < 10000ms", "error_rate < 50%"],
              "maxDuration": "30s",
              "maxMessages": 500
            }
            """);
        _server = new DashboardServer(_dns.Endpoint);
        _server.ExtraSettings["Monitor:LoadTests:ScenarioFolder"] = _scenarios;
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _dns.DisposeAsync();
        Directory.Delete(_scenarios, recursive: true);
    }

    [Fact]
    public async Task Operator_runs_a_stored_scenario_and_reads_its_report_with_the_engine_charts()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator");
        await page.GotoAsync($"{_server.BaseUrl}/loadtests");
        await DashboardPage.WaitForInteractivityAsync(page);

        await page.ClickAsync("tr[data-scenario='webhook-send'] [data-testid=run-scenario]");

        var run = page.Locator("tr[data-run]").First;
        await Assertions.Expect(run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
        await Assertions.Expect(run.Locator("[data-cell=thresholds]")).ToHaveTextAsync("held");
        Assert.True(_receiver.Requests.Count >= 15, $"{_receiver.Requests.Count} requests reached the receiver");
        await Assertions.Expect(page.Locator("[data-testid=running-load-test]")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "load-tests");

        await run.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("webhook-send");
        await Assertions.Expect(page.Locator("[data-testid=percentiles] tr[data-step='(invocation)']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=outcomes] tr[data-outcome=HttpSuccess]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=thresholds] tr[data-verdict=held]")).ToHaveCountAsync(2);
        // The engine's report in its sandboxed frame: served to the signed-in browser, its inline SVG charts drawn.
        var charts = page.FrameLocator("[data-testid=report-frame]").Locator("svg");
        await Assertions.Expect(charts.First).ToBeVisibleAsync(new() { Timeout = DashboardPage.Patience });
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "load-test-run");

        await page.GotoAsync(_server.BaseUrl + "/");
        var capacity = page.Locator("[data-testid=capacity] tr[data-send-path=webhook]");
        await Assertions.Expect(capacity).ToHaveAttributeAsync("data-kind", "achieved", new() { Timeout = DashboardPage.Patience });
        await Assertions.Expect(capacity.Locator("[data-cell=rate]")).ToContainTextAsync("/s");
    }

    [Fact]
    public async Task Viewer_sees_the_scenarios_without_a_run_button()
    {
        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer");
        await page.GotoAsync($"{_server.BaseUrl}/loadtests");
        await DashboardPage.WaitForInteractivityAsync(page);

        await Assertions.Expect(page.Locator("tr[data-scenario='webhook-send']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-scenario]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=no-runs]")).ToBeVisibleAsync();
    }

    /// <summary>Closes the snackbars, which would hide the page in the screenshots.</summary>
    private static async Task CloseMessagesAsync(IPage page)
    {
        foreach (var close in await page.Locator(".mud-snackbar button").AllAsync())
        {
            await close.ClickAsync();
        }

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
    }
}
