using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.LoadTests;
using Deliverability.Load;
using Deliverability.Server.LoadTests;
using Deliverability.Testing.Http;

namespace Deliverability.Server.Tests.LoadTests;

/// <summary>
/// <c>/api/loadtests</c> over the real service: roles, hostile input, imports of the engine's reports, and stored
/// scenarios run for real against a Kestrel receiver on 127.0.0.1.
/// </summary>
public sealed class LoadTestsApiTests : ServiceFixture
{
    private string ScenarioFolder => Path.Combine(DataFolder, "scenarios");

    [Fact]
    public async Task Anonymous_clients_get_401_and_viewers_read_but_cannot_start_or_import()
    {
        await using var app = Start();
        var anonymous = app.CreateAnonymousClient();
        var viewer = app.CreateClientAs("Viewer");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/loadtests")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/loadtests/scenarios")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/loadtests", new { scenario = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/loadtests/import", Json(LoadTestSamples.Report().ToJson()))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/loadtests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/loadtests/scenarios")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/loadtests", new { scenario = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/loadtests/import", Json(LoadTestSamples.Report().ToJson()))).StatusCode);
        Assert.Empty((await viewer.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests"))!);
    }

    [Fact]
    public async Task An_operator_imports_a_report_and_everyone_reads_it_as_json_html_markdown_and_csv()
    {
        await using var app = Start();
        var operatorClient = app.CreateClientAs("Operator");
        var viewer = app.CreateClientAs("Viewer");
        var report = LoadTestSamples.Report("peak rehearsal");

        var imported = await operatorClient.PostAsync("/api/loadtests/import?sendPath=mta-eu", Json(report.ToJson()));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var run = (await imported.Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;
        Assert.Equal($"/api/loadtests/{run.Id}", imported.Headers.Location!.OriginalString);
        Assert.Equal(("peak rehearsal", "smtp", "mta-eu", "import", "api-key:test-operator", "completed"), (run.Scenario, run.Kind, run.SendPath, run.Origin, run.StartedBy, run.Status));
        Assert.Equal((100.0, 180.0, 0.01, 3000L, false), (run.AchievedRate!.Value, run.P99Ms!.Value, run.ErrorRate!.Value, run.Completed!.Value, run.ThresholdsHeld!.Value));
        Assert.Equal(report.StartedAt, run.StartedAt);

        var listed = Assert.Single((await viewer.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests?sendPath=mta-eu"))!);
        Assert.Equal(run, listed);
        var full = (await viewer.GetFromJsonAsync<LoadTestRunDto>($"/api/loadtests/{run.Id}"))!;
        Assert.Equal(report, RunReport.FromJson(full.Report!.Value.GetRawText()), new ReportComparer());
        Assert.Null(full.Capacity);

        var html = await viewer.GetAsync($"/api/loadtests/{run.Id}?format=html");
        Assert.Equal(("text/html", ReportResults.HtmlPolicy), (html.Content.Headers.ContentType!.MediaType, html.Headers.GetValues("Content-Security-Policy").Single()));
        Assert.Contains("<svg", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var markdown = await viewer.GetAsync($"/api/loadtests/{run.Id}?format=md");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
        var markdownText = await markdown.Content.ReadAsStringAsync();
        Assert.Contains("# Load test: peak rehearsal", markdownText, StringComparison.Ordinal);
        Assert.Contains("### Thresholds", markdownText, StringComparison.Ordinal);
        var csv = await viewer.GetAsync($"/api/loadtests/{run.Id}?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("smtp_submission", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_imported_capacity_report_keeps_its_knee_and_curve()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var report = LoadTestSamples.Report("mta capacity") with
        {
            Capacity = new CapacitySearchResult
            {
                KneeRate = 150,
                FirstBrokenRate = 225,
                Stop = CapacitySearchStop.Converged,
                Elapsed = TimeSpan.FromSeconds(40),
                Curve =
                [
                    new CapacityPoint { TargetRate = 100, AchievedRate = 100, OkPerSecond = 100, P99Ms = 80, Held = true, Phase = "step" },
                    new CapacityPoint { TargetRate = 150, AchievedRate = 150, OkPerSecond = 149, P99Ms = 300, Held = true, Phase = "step" },
                    new CapacityPoint { TargetRate = 225, AchievedRate = 190, OkPerSecond = 170, P99Ms = 2400, ErrorRate = 0.04, Held = false, Phase = "step", BrokenBecause = "p99 < 1000ms breached: 2400 ms" },
                ],
            },
        };

        var imported = await client.PostAsync("/api/loadtests/import?sendPath=mta-eu", Json(report.ToJson()));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var run = (await imported.Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;
        Assert.Equal((150.0, true, "Converged"), (run.KneeRate, run.ThresholdsHeld, run.StopReason));
        var full = (await client.GetFromJsonAsync<LoadTestRunDto>($"/api/loadtests/{run.Id}"))!;
        var curve = full.Capacity!.Value.EnumerateArray().ToList();
        Assert.Equal([100.0, 150.0, 225.0], curve.Select(point => point.GetProperty("targetRate").GetDouble()));
        Assert.Equal([true, true, false], curve.Select(point => point.GetProperty("held").GetBoolean()));
        // The Overview's Capacity section reads the knee, as for a search the service ran.
        var reading = Assert.Single(await app.Services.GetRequiredService<LoadTestBoard>().CapacityAsync(CancellationToken.None));
        Assert.Equal(("mta-eu", 150.0, true), (reading.SendPath, reading.Rate, reading.IsKnee));
    }

    [Fact]
    public async Task Importing_the_same_report_twice_answers_200_with_the_run_already_stored()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var report = LoadTestSamples.Report("imported twice");

        var first = await client.PostAsync("/api/loadtests/import", Json(report.ToJson(indented: true)));
        // The same report again, written differently (compact) and with other query values: still the same run.
        var second = await client.PostAsync("/api/loadtests/import?sendPath=elsewhere&kind=http", Json(report.ToJson(indented: false)));
        var changed = await client.PostAsync("/api/loadtests/import", Json((report with { Seed = report.Seed + 1 }).ToJson()));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, second.StatusCode, changed.StatusCode));
        var stored = (await first.Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;
        var again = (await second.Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;
        Assert.Equal(stored, again);
        Assert.Equal($"/api/loadtests/{stored.Id}", second.Headers.Location!.OriginalString);
        var runs = (await client.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests"))!;
        Assert.Single(runs, run => run.Scenario == "imported twice" && run.Id == stored.Id);
        Assert.Equal(2, runs.Count(run => run.Scenario == "imported twice"));
    }

    [Fact]
    public async Task Two_imported_runs_are_compared_by_the_engine_in_markdown_and_html()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var baseline = (await (await client.PostAsync("/api/loadtests/import", Json(LoadTestSamples.Report(p99: 180).ToJson()))).Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;
        var candidate = (await (await client.PostAsync("/api/loadtests/import", Json(LoadTestSamples.Report(p99: 720, startedAt: LoadTestSamples.Monday.AddDays(1)).ToJson()))).Content.ReadFromJsonAsync<LoadTestRunSummaryDto>())!;

        var markdown = await client.GetAsync($"/api/loadtests/compare?a={baseline.Id}&b={candidate.Id}");
        var html = await client.GetAsync($"/api/loadtests/compare?a={baseline.Id}&b={candidate.Id}&format=html");

        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
        Assert.Contains("720", await markdown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("text/html", ReportResults.HtmlPolicy), (html.Content.Headers.ContentType!.MediaType, html.Headers.GetValues("Content-Security-Policy").Single()));
        Assert.Equal([candidate.Id, baseline.Id], (await client.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests"))!.Select(r => r.Id));
    }

    [Fact]
    public async Task Bad_ids_formats_filters_and_bodies_are_problems_in_the_4xx_range_never_500()
    {
        await using var app = Start(("Monitor:LoadTests:MaxReportBytes", "4096"));
        var client = app.CreateClientAs("Operator");
        var running = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, LoadTestRunStatus.Running);
        await app.Services.GetRequiredService<LoadTestRunStore>().AddAsync(running);
        var unknown = Guid.NewGuid();

        var requests = new (HttpStatusCode Expected, Func<Task<HttpResponseMessage>> Send)[]
        {
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests/not-a-run")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests/%3Cscript%3E")),
            (HttpStatusCode.NotFound, () => client.GetAsync($"/api/loadtests/{unknown}")),
            (HttpStatusCode.BadRequest, () => client.GetAsync($"/api/loadtests/{running.Id}?format=pdf")),
            (HttpStatusCode.Conflict, () => client.GetAsync($"/api/loadtests/{running.Id}?format=html")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests?limit=0")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests?limit=100000")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests?limit=many")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests?scenario=" + new string('s', 300))),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests/compare?a=1&b=2")),
            (HttpStatusCode.BadRequest, () => client.GetAsync("/api/loadtests/compare")),
            (HttpStatusCode.NotFound, () => client.GetAsync($"/api/loadtests/compare?a={unknown}&b={running.Id}")),
            (HttpStatusCode.Conflict, () => client.GetAsync($"/api/loadtests/compare?a={running.Id}&b={running.Id}")),
            (HttpStatusCode.BadRequest, () => client.GetAsync($"/api/loadtests/compare?a={running.Id}&b={running.Id}&format=docx")),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests", null)),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests", Json("{"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests", Json("{\"scenario\": 5}"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests", Json("{\"scenario\": \"  \"}"))),
            (HttpStatusCode.UnsupportedMediaType, () => client.PostAsync("/api/loadtests", new StringContent("scenario=x", Encoding.UTF8, "application/x-www-form-urlencoded"))),
            (HttpStatusCode.RequestEntityTooLarge, () => client.PostAsync("/api/loadtests", Json("{\"scenario\": \"" + new string('x', 70_000) + "\"}"))),
            (HttpStatusCode.NotFound, () => client.PostAsync("/api/loadtests", Json("{\"scenario\": \"nope\"}"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import", null)),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import", Json("not json"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import", Json("{\"schemaVersion\": 99}"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import", Json("[1, 2, 3]"))),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import", new ByteArrayContent([0xC3, 0x28, 0x7B]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } })),
            (HttpStatusCode.BadRequest, () => client.PostAsync("/api/loadtests/import?kind=ftp", Json("{}"))),
            (HttpStatusCode.UnsupportedMediaType, () => client.PostAsync("/api/loadtests/import", new StringContent("{}", Encoding.UTF8, "text/plain"))),
            (HttpStatusCode.RequestEntityTooLarge, () => client.PostAsync("/api/loadtests/import", Json(LoadTestSamples.Report().ToJson()))),
        };

        foreach (var (expected, send) in requests)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }

        Assert.Single((await client.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests"))!);
    }

    [Fact]
    public async Task Stored_scenarios_are_listed_with_the_problem_of_each_bad_file_and_a_bad_file_cannot_run()
    {
        ScenarioFiles.Write(ScenarioFolder, "good.json", ScenarioFiles.Http("good", "http://127.0.0.1:9/send"));
        ScenarioFiles.Write(ScenarioFolder, "broken.json", "{ \"name\": \"broken\", ");
        ScenarioFiles.Write(ScenarioFolder, "wrong.json", ScenarioFiles.Http("wrong", "http://127.0.0.1:9/send").Replace("\"rate\": 20", "\"rate\": -1", StringComparison.Ordinal));
        ScenarioFiles.Write(ScenarioFolder, "notes.txt", "not a scenario");
        await using var app = Start();
        var client = app.CreateClientAs("Operator");

        var scenarios = (await client.GetFromJsonAsync<StoredScenarioDto[]>("/api/loadtests/scenarios"))!;

        Assert.Equal(["broken.json", "good.json", "wrong.json"], scenarios.Select(s => s.File));
        var good = scenarios[1];
        Assert.Equal(("good", "http", "api-e2e", false, null, 30.0, 2000L), (good.Name, good.Kind, good.SendPath, good.Capacity, good.Problem, good.MaxDurationSeconds!.Value, good.MaxMessages!.Value));
        Assert.Equal(["p99 < 10000ms", "error_rate < 50%"], good.Thresholds);
        Assert.All([scenarios[0], scenarios[2]], bad => Assert.False(string.IsNullOrWhiteSpace(bad.Problem)));
        Assert.Contains("rate", scenarios[2].Problem, StringComparison.Ordinal);
        Assert.Null(scenarios[0].Name);

        var start = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "wrong" });
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Contains("wrong.json", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_sending_to_real_recipients_is_refused_with_the_reason_before_any_connection_and_stored_refused()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        ScenarioFiles.Write(ScenarioFolder, "real.json", ScenarioFiles.SmtpToRealRecipients("real-recipients", port));
        await using var app = Start();
        var client = app.CreateClientAs("Operator");

        var response = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "real-recipients" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("someone@gmail.com", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the refused scenario connected to its target");
        var stored = Assert.Single((await client.GetFromJsonAsync<LoadTestRunSummaryDto[]>("/api/loadtests"))!);
        Assert.Equal(("refused", "real-recipients"), (stored.Status, stored.Scenario));
        Assert.Contains("someone@gmail.com", stored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_http_scenario_runs_end_to_end_against_a_local_receiver_and_its_report_is_stored()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        ScenarioFiles.Write(ScenarioFolder, "e2e.json", ScenarioFiles.Http("http-e2e", receiver.Url("send"), rate: 20, seconds: 3));
        await using var app = Start();
        var client = app.CreateClientAs("Operator");

        var response = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "http-e2e" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<LoadTestStartedDto>())!;
        Assert.Equal($"/api/loadtests/{started.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal("running", started.Status);
        var busy = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "http-e2e" });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);

        var run = await WaitUntilEndedAsync(client, started.Id);
        Assert.True(run.Run.Status == "completed", $"{run.Run.Status}: {run.Run.Reason}");
        Assert.Equal(("http-e2e", "http", "api-e2e", "service", "api-key:test-operator", true), (run.Run.Scenario, run.Run.Kind, run.Run.SendPath, run.Run.Origin, run.Run.StartedBy, run.Run.ThresholdsHeld!.Value));
        var report = RunReport.FromJson(run.Report!.Value.GetRawText());
        var stats = Assert.Single(report.Scenarios).Stats;
        Assert.InRange(stats.Count, 20, 2000);
        Assert.Equal(stats.Count, stats.Outcomes[OutcomeClass.HttpSuccess]);
        Assert.True(receiver.Requests.Count >= stats.Count, $"{receiver.Requests.Count} requests received, {stats.Count} reported");
        Assert.All(receiver.Requests, r => Assert.Equal("/send", r.Path));
        Assert.Equal(stats.Count, run.Run.Completed);
        Assert.True(run.Run.AchievedRate > 0);

        // The node is free again: the next run starts.
        var again = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "http-e2e" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await WaitUntilEndedAsync(client, (await again.Content.ReadFromJsonAsync<LoadTestStartedDto>())!.Id);
    }

    [Fact]
    public async Task A_stored_capacity_search_stores_its_knee_and_curve_and_the_capacity_board_reads_the_knee()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        ScenarioFiles.Write(ScenarioFolder, "capacity.json", ScenarioFiles.HttpCapacity("api-capacity", receiver.Url("send")));
        await using var app = Start();
        var client = app.CreateClientAs("Operator");

        var response = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "api-capacity" });
        var run = await WaitUntilEndedAsync(client, (await response.Content.ReadFromJsonAsync<LoadTestStartedDto>())!.Id);

        Assert.True(run.Run.Status == "completed", $"{run.Run.Status}: {run.Run.Reason}");
        var curve = ReportNumbers.Curve(run.Capacity!.Value.GetRawText());
        Assert.NotEmpty(curve);
        Assert.Equal(10, curve[0].TargetRate);
        var knee = curve.Where(p => p.Held).Max(p => (double?)p.TargetRate);
        Assert.NotNull(knee);
        Assert.Equal((knee, true), (run.Run.KneeRate, run.Run.ThresholdsHeld!.Value));
        Assert.Contains(run.Run.StopReason, Enum.GetNames<CapacitySearchStop>());
        Assert.NotNull(run.Report);

        var reading = Assert.Single(await app.Services.GetRequiredService<LoadTestBoard>().CapacityAsync(CancellationToken.None));
        Assert.Equal(("api-capacity", knee, true, run.Run.Id), (reading.SendPath, reading.Rate, reading.IsKnee, reading.RunId));
    }

    [Fact]
    public async Task A_stop_of_the_service_cancels_the_run_and_stores_it_aborted()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        ScenarioFiles.Write(ScenarioFolder, "long.json", ScenarioFiles.Http("long-run", receiver.Url("send"), rate: 10, seconds: 25));
        Guid id;
        await using (var app = Start())
        {
            var client = app.CreateClientAs("Operator");
            var response = await client.PostAsJsonAsync("/api/loadtests", new { scenario = "long-run" });
            id = (await response.Content.ReadFromJsonAsync<LoadTestStartedDto>())!.Id;
            await receiver.WaitForRequestsAsync(5);
        }

        await using var restarted = Start();
        var stored = (await restarted.CreateClientAs("Viewer").GetFromJsonAsync<LoadTestRunDto>($"/api/loadtests/{id}"))!;
        Assert.Equal("aborted", stored.Run.Status);
        Assert.Contains("stopped during the run", stored.Run.Reason, StringComparison.Ordinal);
        Assert.NotNull(stored.Run.EndedAt);
    }

    private MonitorApplication Start(params (string, string?)[] settings) =>
        StartService([("Monitor:LoadTests:ScenarioFolder", ScenarioFolder), .. settings]);

    private static async Task<LoadTestRunDto> WaitUntilEndedAsync(HttpClient client, Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var run = (await client.GetFromJsonAsync<LoadTestRunDto>($"/api/loadtests/{id}"))!;
            if (run.Run.Status != "running")
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, "The load test did not end within 90 s.");
            await Task.Delay(200);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Reports compare by their JSON: records hold lists and dictionaries, which compare by reference.</summary>
    private sealed class ReportComparer : IEqualityComparer<RunReport>
    {
        public bool Equals(RunReport? x, RunReport? y) => x?.ToJson() == y?.ToJson();

        public int GetHashCode(RunReport obj) => obj.ToJson().GetHashCode(StringComparison.Ordinal);
    }
}
