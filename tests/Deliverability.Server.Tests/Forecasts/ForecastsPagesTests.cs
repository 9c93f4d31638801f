using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Forecasts;
using Deliverability.Core.LoadTests;
using Deliverability.Server.Auth;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Overview;
using Deliverability.Server.Tests.LoadTests;
using MudBlazor;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>
/// bUnit tests of the Forecasts page and the Overview's capacity over the real service: history, forecasts, campaigns
/// and load-test runs written through the real stores, the plan computed by the real board.
/// </summary>
public sealed class ForecastsPagesTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;
    private ForecastStore _store = null!;
    private DateTimeOffset _historyEnd;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = StartService(("Monitor:Forecasts:Streams:orders:SendPath", "mta"), ("Monitor:Forecasts:SafetyMargin", "0.3"));
        _context = PageContext.Over(_service.Services);
        _store = _service.Services.GetRequiredService<ForecastStore>();
        _historyEnd = ForecastSamples.ThisHour;
        await _store.ImportHistoryAsync("orders", ForecastSamples.HourlyPoints(_historyEnd, 72), replace: false);
        // The busiest forecast hour's upper bound is 720,000 messages: 200/s, 260/s with the 30 % margin.
        await _store.AddRunAsync(ForecastSamples.Forecast("orders", _historyEnd, 48, 720_000));
        await _store.ImportHistoryAsync("newsletter", ForecastSamples.HourlyPoints(_historyEnd, 48, 50), replace: false);
        await _store.AddRunAsync(ForecastSamples.Forecast("newsletter", _historyEnd, 48, 36_000));
        var loadTests = _service.Services.GetRequiredService<LoadTestRunStore>();
        await loadTests.AddAsync(LoadTestSamples.Run("smtp-capacity", "mta", DateTimeOffset.UtcNow.AddDays(-1), knee: 300, held: true));
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void Viewers_see_the_chart_the_backtest_and_the_plan_without_the_operator_controls()
    {
        AsViewer();
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<ForecastsPage>();

        page.WaitForElement("[data-testid=forecast-chart]", TimeSpan.FromSeconds(30));
        foreach (var series in new[] { "history", "forecast", "band" })
        {
            Assert.False(string.IsNullOrWhiteSpace(page.Find($"[data-series={series}]").GetAttribute("points")), series);
        }

        Assert.Equal(["newsletter", "orders"], page.FindAll("[data-stream]").Select(c => c.GetAttribute("data-stream")).Order());
        var backtest = page.Find("[data-testid=backtest] tr[data-model]");
        Assert.Equal(("lightgbm", "12.5%", "20%", "0.80"), (Cell(backtest, "model"), Cell(backtest, "wape"), Cell(backtest, "naive-wape"), Cell(backtest, "mase")));
        Assert.StartsWith("90%", Cell(backtest, "coverage"), StringComparison.Ordinal);
        Assert.Contains("2 missing hours filled with 0", page.Find("[data-testid=repairs]").TextContent, StringComparison.Ordinal);

        var mta = page.Find("[data-testid=plan] tr[data-send-path=mta][data-period=Forecast]");
        Assert.Equal("ready", mta.GetAttribute("data-verdict"));
        Assert.Equal(("260/s", "300/s", "50%"), (Cell(mta, "required"), Cell(mta, "capacity")[..5], Cell(mta, "headroom")));
        var newsletter = page.Find("[data-testid=plan] tr[data-send-path=newsletter][data-period=Forecast]");
        Assert.Equal("unknown", newsletter.GetAttribute("data-verdict"));
        Assert.Contains("no load test of newsletter", newsletter.TextContent, StringComparison.Ordinal);

        Assert.Equal("/api/forecasts/plan?format=csv", page.Find("[data-testid=plan-csv]").GetAttribute("href"));
        Assert.Equal("/api/forecasts/plan?format=md", page.Find("[data-testid=plan-md]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=forecast-now]"));
        Assert.Empty(page.FindAll("[data-testid=campaign-form]"));
    }

    [Fact]
    public async Task An_operator_plans_a_campaign_in_the_form_and_deletes_it()
    {
        AsOperator();
        _context.Render<MudPopoverProvider>();
        _context.Render<MudSnackbarProvider>();
        var page = _context.Render<ForecastsPage>();
        page.WaitForElement("[data-testid=campaign-form]", TimeSpan.FromSeconds(30));
        Assert.NotNull(page.Find("[data-testid=forecast-now]"));
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Input(page, "campaign-date").Change(date);
        Input(page, "campaign-volume").Change("-5");
        page.Find("[data-testid=add-campaign]").Click();
        page.WaitForAssertion(() => Assert.StartsWith("expectedVolume: the messages the campaign adds", page.Find("[data-testid=campaign-problem]").TextContent, StringComparison.Ordinal));
        Input(page, "campaign-volume").Change("250000");
        Input(page, "campaign-name").Change("Winter sale");
        page.Find("[data-testid=add-campaign]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=campaigns] tr[data-campaign]")), TimeSpan.FromSeconds(10));
        var stored = Assert.Single(await _store.ListCampaignsAsync());
        Assert.Equal((date, "newsletter", 250_000.0, "Winter sale", "olga"), (stored.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), stored.Stream, stored.ExpectedVolume, stored.Name, stored.CreatedBy));

        page.Find("[data-testid=delete-campaign]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=no-campaigns]")), TimeSpan.FromSeconds(10));
        Assert.Empty(await _store.ListCampaignsAsync());
    }

    [Fact]
    public void The_overview_shows_per_send_path_the_required_rate_the_headroom_and_the_verdict()
    {
        AsViewer();
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<OverviewPage>();

        page.WaitForAssertion(() => Assert.Equal("ready", Cell(page.Find("[data-testid=capacity] tr[data-send-path=mta]"), "verdict")), TimeSpan.FromSeconds(30));
        var mta = page.Find("[data-testid=capacity] tr[data-send-path=mta]");
        Assert.Equal("knee", mta.GetAttribute("data-kind"));
        Assert.StartsWith("260/s", Cell(mta, "required"), StringComparison.Ordinal);
        Assert.Equal("50%", Cell(mta, "headroom"));
        // Forecast, but never load tested: listed all the same, its verdict unknown.
        var newsletter = page.Find("[data-testid=capacity] tr[data-send-path=newsletter]");
        Assert.Equal(("none", "unknown"), (newsletter.GetAttribute("data-kind"), Cell(newsletter, "verdict")));
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ForecastsPage> page, string testId) =>
        page.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static string Cell(AngleSharp.Dom.IElement row, string name) => row.QuerySelector($"[data-cell={name}]")!.TextContent.Trim();

    private void AsViewer() =>
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);

    private void AsOperator() =>
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);

}
