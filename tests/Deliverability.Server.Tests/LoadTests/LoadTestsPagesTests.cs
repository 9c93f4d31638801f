using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.LoadTests;
using Deliverability.Server.Auth;
using Deliverability.Server.LoadTests;
using Deliverability.Server.Overview;
using Deliverability.Testing.Http;
using MudBlazor;

namespace Deliverability.Server.Tests.LoadTests;

/// <summary>
/// bUnit tests of the Load tests pages and the Overview's Capacity section over the real service: runs written through
/// the real store, reports made by the engine, and a run started from the page against a receiver on 127.0.0.1.
/// </summary>
public sealed class LoadTestsPagesTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;
    private LoadTestRunStore _store = null!;

    private string ScenarioFolder => Path.Combine(DataFolder, "scenarios");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ScenarioFiles.Write(ScenarioFolder, "webhook.json", ScenarioFiles.Http("webhook-send", "http://127.0.0.1:9/send"));
        ScenarioFiles.Write(ScenarioFolder, "broken.json", "{ nope");
        _service = StartService(("Monitor:LoadTests:ScenarioFolder", ScenarioFolder));
        _context = PageContext.Over(_service.Services);
        _store = _service.Services.GetRequiredService<LoadTestRunStore>();
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task The_list_shows_each_run_with_its_numbers_and_viewers_see_no_run_button()
    {
        var completed = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, achieved: 48.5);
        var capacity = LoadTestSamples.Run("smtp-capacity", "mta", LoadTestSamples.Monday.AddHours(1), knee: 412.5, held: true);
        var failed = LoadTestSamples.Run("http-send", "api", LoadTestSamples.Monday.AddHours(2), LoadTestRunStatus.Failed, held: null);
        failed.Reason = "HttpRequestException: connection refused";
        foreach (var run in new[] { completed, capacity, failed })
        {
            await _store.AddAsync(run);
        }

        AsViewer();
        var page = _context.Render<LoadTestsPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tr[data-run]").Count), TimeSpan.FromSeconds(30));
        Assert.Equal([failed.Id.ToString(), capacity.Id.ToString(), completed.Id.ToString()], page.FindAll("tr[data-run]").Select(r => r.GetAttribute("data-run")));
        var first = page.Find($"tr[data-run='{completed.Id}']");
        Assert.Equal(("48.5/s", "42.5 ms", "1%", "held"), (Cell(first, "achieved"), Cell(first, "p99"), Cell(first, "errors"), Cell(first, "thresholds")));
        Assert.Equal("412.5/s", Cell(page.Find($"tr[data-run='{capacity.Id}']"), "knee"));
        Assert.Equal("failed", page.Find($"tr[data-run='{failed.Id}']").GetAttribute("data-status"));
        Assert.Equal("HttpRequestException: connection refused", page.Find($"tr[data-run='{failed.Id}'] .status-pill").GetAttribute("title"));

        Assert.NotNull(page.Find("tr[data-scenario='webhook-send']"));
        Assert.Contains("broken.json", page.Find("tr[data-scenario='broken']").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("tr[data-scenario='broken'] [data-testid=scenario-problem]"));
        Assert.Empty(page.FindAll("[data-testid=run-scenario]"));
    }

    [Fact]
    public async Task An_operator_runs_a_stored_scenario_from_the_page_and_sees_it_end()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        ScenarioFiles.Write(ScenarioFolder, "webhook.json", ScenarioFiles.Http("webhook-send", receiver.Url("send"), rate: 10, seconds: 2));
        AsOperator();
        _context.Render<MudSnackbarProvider>();
        var page = _context.Render<LoadTestsPage>();
        page.WaitForElement("tr[data-scenario='webhook-send']", TimeSpan.FromSeconds(30));

        Assert.Single(page.FindAll("[data-testid=run-scenario]")); // the broken file has none
        page.Find("tr[data-scenario='webhook-send'] [data-testid=run-scenario]").Click();

        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("tr[data-run]").GetAttribute("data-status")), TimeSpan.FromSeconds(60));
        // Once it ended, the progress card is gone and the next run may start.
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=running-load-test]")), TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=run-scenario]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        Assert.True(receiver.Requests.Count >= 10, $"{receiver.Requests.Count} requests");
        var run = Assert.Single(await _store.ListAsync(new LoadTestRunQuery(10)));
        Assert.Equal(("webhook-send", "olga"), (run.Scenario, run.StartedBy));
    }

    [Fact]
    public async Task A_run_page_shows_the_report_tables_and_frames_the_engine_charts_sandboxed()
    {
        var report = LoadTestSamples.Report();
        var run = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, reportJson: report.ToJson());
        await _store.AddAsync(run);
        AsViewer();

        var page = _context.Render<LoadTestRunPage>(p => p.Add(c => c.Id, run.Id));

        page.WaitForElement("[data-testid=percentiles]", TimeSpan.FromSeconds(30));
        Assert.Equal("smtp-submission", page.Find("[data-testid=run-title]").TextContent);
        Assert.Equal(["(invocation)", "connect", "data"], page.FindAll("[data-testid=percentiles] tr[data-step]").Select(r => r.GetAttribute("data-step")));
        Assert.Equal("180 ms", page.Find("tr[data-step='(invocation)'] [data-cell=p99]").TextContent);
        Assert.Equal(["SmtpAccepted", "SmtpDeferred"], page.FindAll("[data-testid=outcomes] tr[data-outcome]").Select(r => r.GetAttribute("data-outcome")));
        Assert.Equal(["250", "451"], page.FindAll("[data-testid=status-codes] tr[data-code]").Select(r => r.GetAttribute("data-code")));
        Assert.Equal([("p99 < 500ms", "held"), ("error_rate < 0.5%", "breached")], page.FindAll("[data-testid=thresholds] tr[data-threshold]").Select(r => (r.GetAttribute("data-threshold"), r.GetAttribute("data-verdict"))));
        var frame = page.Find("[data-testid=report-frame]");
        Assert.Equal(("", $"/api/loadtests/{run.Id}?format=html"), (frame.GetAttribute("sandbox"), frame.GetAttribute("src")));
    }

    [Fact]
    public async Task A_capacity_run_page_shows_its_knee_and_every_rate_tried()
    {
        var search = new Deliverability.Load.CapacitySearchResult
        {
            KneeRate = 300,
            FirstBrokenRate = 450,
            Stop = Deliverability.Load.CapacitySearchStop.Converged,
            Curve =
            [
                new Deliverability.Load.CapacityPoint { TargetRate = 200, AchievedRate = 199.5, P99Ms = 120, Held = true, Phase = "step" },
                new Deliverability.Load.CapacityPoint { TargetRate = 450, AchievedRate = 300, P99Ms = 2400, Held = false, Phase = "step", BrokenBecause = "p99 < 1000ms breached: 2400 ms" },
                new Deliverability.Load.CapacityPoint { TargetRate = 300, AchievedRate = 298, P99Ms = 640, Held = true, Phase = "bisect" },
            ],
        };
        var end = ReportNumbers.End(LoadTestRunStatus.Completed, LoadTestSamples.Monday.AddMinutes(3), LoadTestSamples.Report(), search);
        var run = LoadTestSamples.Run("smtp-capacity", "mta", LoadTestSamples.Monday, LoadTestRunStatus.Running);
        await _store.AddAsync(run);
        await _store.FinishAsync(run.Id, end);
        AsViewer();

        var page = _context.Render<LoadTestRunPage>(p => p.Add(c => c.Id, run.Id));

        page.WaitForElement("[data-testid=capacity-curve]", TimeSpan.FromSeconds(30));
        Assert.Equal("300/s", page.Find("[data-number=knee]").TextContent);
        Assert.Equal(["yes", "no", "yes"], page.FindAll("[data-testid=capacity-curve] tr[data-held]").Select(r => r.GetAttribute("data-held")));
        Assert.Contains("p99 < 1000ms breached: 2400 ms", page.Find("[data-testid=capacity-curve]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Converged", page.Find("[data-number='stopped by']").TextContent);
    }

    [Fact]
    public async Task Two_runs_compare_side_by_side()
    {
        var baseline = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, achieved: 100, reportJson: LoadTestSamples.Report(p99: 200).ToJson());
        var candidate = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday.AddDays(1), achieved: 150, reportJson: LoadTestSamples.Report(p99: 100).ToJson());
        await _store.AddAsync(baseline);
        await _store.AddAsync(candidate);
        AsViewer();
        var navigation = _context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo($"/loadtests/compare?a={baseline.Id}&b={candidate.Id}");

        var page = _context.Render<LoadTestComparePage>();

        var achieved = page.WaitForElement("tr[data-line='achieved']", TimeSpan.FromSeconds(30));
        Assert.Equal(["100/s", "150/s", "+50%"], achieved.QuerySelectorAll("td").Select(c => c.TextContent));
        Assert.Equal(["300 ms", "150 ms", "-50%"], page.Find("tr[data-line='smtp_submission p99.9']").QuerySelectorAll("td").Select(c => c.TextContent));
        Assert.Equal($"/api/loadtests/compare?a={baseline.Id}&b={candidate.Id}&format=html", page.Find("[data-testid=compare-frame]").GetAttribute("src"));
    }

    [Fact]
    public async Task The_overview_shows_per_send_path_the_latest_knee_or_without_a_capacity_run_the_achieved_rate()
    {
        await _store.AddAsync(LoadTestSamples.Run("smtp-capacity", "mta", LoadTestSamples.Monday, knee: 300));
        await _store.AddAsync(LoadTestSamples.Run("smtp-capacity", "mta", LoadTestSamples.Monday.AddDays(1), knee: 410, held: true));
        await _store.AddAsync(LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday.AddDays(2), achieved: 500));
        await _store.AddAsync(LoadTestSamples.Run("http-send", "api", LoadTestSamples.Monday, achieved: 75, held: false));
        await _store.AddAsync(LoadTestSamples.Run("http-send", "api", LoadTestSamples.Monday.AddDays(3), LoadTestRunStatus.Failed, achieved: 1));
        AsViewer();
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<OverviewPage>();

        page.WaitForElement("[data-testid=capacity]", TimeSpan.FromSeconds(30));
        Assert.Equal(["api", "mta"], page.FindAll("[data-testid=capacity] tr[data-send-path]").Select(r => r.GetAttribute("data-send-path")));
        var mta = page.Find("tr[data-send-path='mta']");
        Assert.Equal("knee", mta.GetAttribute("data-kind"));
        Assert.StartsWith("410/s", Cell(mta, "rate"), StringComparison.Ordinal);
        Assert.Contains("2026-11-24", mta.TextContent, StringComparison.Ordinal);
        var api = page.Find("tr[data-send-path='api']");
        Assert.Equal("achieved", api.GetAttribute("data-kind"));
        Assert.StartsWith("75/s", Cell(api, "rate"), StringComparison.Ordinal);
        Assert.Contains("breached", api.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_runs_the_overview_says_where_capacity_comes_from()
    {
        AsViewer();
        _context.Render<MudPopoverProvider>();

        var page = _context.Render<CapacityPanel>();

        Assert.Contains("No completed load test yet", page.Find("[data-testid=no-capacity]").TextContent, StringComparison.Ordinal);
    }

    private static string Cell(AngleSharp.Dom.IElement row, string name) => row.QuerySelector($"[data-cell={name}]")!.TextContent.Trim();

    private void AsViewer() =>
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);

    private void AsOperator() =>
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
}
