using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Deliverability.Core.LoadTests;
using Deliverability.Testing.Dns;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The Forecasts page in a real browser: two streams' history imported over the API, a campaign planned, one forecast
/// made over the API and one with the page's "Forecast now", both by the real forecaster; the chart, the backtest, the
/// capacity plan against the send paths' load tests, and the Overview's capacity with the verdicts.
/// </summary>
public sealed class ForecastsPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly DateTimeOffset ThisHour = new(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);
    private static readonly DateOnly SaleDay = DateOnly.FromDateTime(ThisHour.UtcDateTime).AddDays(2);
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        _server = new DashboardServer(_dns.Endpoint);
        _server.ExtraSettings["Monitor:Forecasts:Horizon"] = "3.00:00:00";
        _server.ExtraSettings["Monitor:Forecasts:Streams:transactional:SendPath"] = "mta";
        _server.ExtraSettings["Monitor:Forecasts:Streams:marketing:SendPath"] = "mta-bulk";
        _server.ExtraSettings["Monitor:Forecasts:PeakDays:0:Date"] = SaleDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _server.ExtraSettings["Monitor:Forecasts:PeakDays:0:Name"] = "Winter sale";
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Operator_forecasts_a_stream_from_the_page_and_reads_the_chart_and_the_capacity_plan()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", DashboardServer.OperatorKey);
        // Eight weeks of hours: enough for a three-day forecast and its backtest.
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/forecasts/history/transactional", Csv(History(24 * 56, 250_000)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/forecasts/history/marketing", Csv(History(24 * 56, 90_000)))).StatusCode);
        var campaign = new { date = SaleDay, stream = "marketing", expectedVolume = 1_200_000, name = "Winter sale mailing" };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/forecasts/campaigns", campaign)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/forecasts/transactional/run", null)).StatusCode);
        var loadTests = _server.Services.GetRequiredService<LoadTestRunStore>();
        await loadTests.AddAsync(CapacityRun("smtp-capacity", "mta", 180));
        await loadTests.AddAsync(CapacityRun("bulk-capacity", "mta-bulk", 70));

        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "operator", new ViewportSize { Width = 1400, Height = 1500 });
        await page.GotoAsync($"{_server.BaseUrl}/forecasts?stream=marketing");
        await DashboardPage.WaitForInteractivityAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=no-forecast]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=forecast-now]");

        var backtest = page.Locator("[data-testid=backtest] tr[data-model]");
        await Assertions.Expect(backtest).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(backtest.Locator("[data-cell=wape]")).ToContainTextAsync("%");
        await Assertions.Expect(backtest.Locator("[data-cell=naive-wape]")).ToContainTextAsync("%");
        var chart = page.Locator("[data-testid=forecast-chart]");
        await Assertions.Expect(chart.Locator("[data-series=band]")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator("[data-series=history]")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator($"[data-series=peak][data-date='{SaleDay:yyyy-MM-dd}']")).ToHaveCountAsync(1);
        Assert.True((await chart.BoundingBoxAsync())!.Height > 150);

        foreach (var sendPath in new[] { "mta", "mta-bulk" })
        {
            var row = page.Locator($"[data-testid=plan] tr[data-send-path='{sendPath}'][data-period=Forecast]");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-verdict", new System.Text.RegularExpressions.Regex("^(ready|at risk|not ready)$"));
            await Assertions.Expect(row.Locator("[data-cell=required]")).ToContainTextAsync("/s");
            await Assertions.Expect(row.Locator("[data-cell=headroom]")).ToContainTextAsync("%");
        }

        await Assertions.Expect(page.Locator("[data-testid=plan] tr[data-send-path='mta-bulk'][data-period='Winter sale']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=campaigns] tr[data-campaign]")).ToHaveCountAsync(1);
        await CloseMessagesAsync(page);
        await DashboardPage.ScreenshotAsync(page, "forecasts");

        var markdown = await page.APIRequest.GetAsync($"{_server.BaseUrl}/api/forecasts/plan?format=md");
        Assert.Contains("| mta-bulk | Forecast | marketing |", await markdown.TextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(_server.BaseUrl + "/");
        var capacity = page.Locator("[data-testid=capacity] tr[data-send-path='mta-bulk']");
        await Assertions.Expect(capacity.Locator("[data-cell=verdict]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("ready|at risk|not ready"));
        await Assertions.Expect(capacity.Locator("[data-cell=required]")).ToContainTextAsync("/s");
    }

    /// <summary>Quiet nights, busy afternoons, quieter weekends, a slow rise, and a little noise of a fixed pattern.</summary>
    private static string History(int hours, double scale)
    {
        var text = new StringBuilder("timestamp,count\n");
        for (var i = hours; i > 0; i--)
        {
            var at = ThisHour.AddHours(-i);
            var daily = 0.15 + Math.Max(0, Math.Sin((at.Hour - 6) / 24.0 * 2 * Math.PI));
            var weekday = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.65 : 1.0;
            var trend = 1 + ((hours - i) / (double)hours * 0.2);
            var noise = 1 + ((((at.ToUnixTimeSeconds() / 3600) * 7919) % 13) - 6) / 100.0;
            var count = Math.Round(scale * daily * weekday * trend * noise);
            text.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    /// <summary>A capacity search ended yesterday, as the load-test runner stores it.</summary>
    private static LoadTestRunRow CapacityRun(string scenario, string sendPath, double knee) => new()
    {
        Id = Guid.NewGuid(),
        Scenario = scenario,
        Kind = "smtp",
        SendPath = sendPath,
        Origin = "import",
        StartedBy = "olga",
        StartedAt = DateTimeOffset.UtcNow.AddDays(-1),
        EndedAt = DateTimeOffset.UtcNow.AddDays(-1).AddMinutes(20),
        Status = LoadTestRunStatus.Completed,
        StopReason = "Completed",
        ThresholdsHeld = true,
        KneeRate = knee,
        AchievedRate = knee,
    };

    private static async Task CloseMessagesAsync(IPage page)
    {
        foreach (var close in await page.Locator(".mud-snackbar button").AllAsync())
        {
            await close.ClickAsync();
        }

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = DashboardPage.Patience });
    }
}
