using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Forecasts;
using Deliverability.Core.LoadTests;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Tests.LoadTests;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>
/// <c>/api/forecasts</c> over the real service and the real forecaster: roles, hostile input, idempotent imports, planned
/// campaigns, a forecast made on demand from a small history and stored with its backtest, and the plan's exports.
/// </summary>
public sealed class ForecastsApiTests : ServiceFixture
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Anonymous_clients_get_401_and_viewers_read_but_cannot_import_plan_or_forecast()
    {
        await using var app = Start();
        var anonymous = app.CreateAnonymousClient();
        var viewer = app.CreateClientAs("Viewer");
        var history = ForecastSamples.HourlyCsv(ForecastSamples.ThisHour, 48);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/forecasts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/forecasts/history/orders", Csv(history))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/forecasts/plan")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/forecasts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/forecasts/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/forecasts/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/forecasts/history/orders", Csv(history))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/forecasts/campaigns", new { date = "2026-12-01", stream = "orders", expectedVolume = 10 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/forecasts/campaigns/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/forecasts/orders/run", null)).StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<ForecastStore>().GetHistoryAsync("orders"));
    }

    [Fact]
    public async Task Importing_the_same_csv_twice_changes_nothing_and_a_later_push_merges_by_timestamp()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var end = ForecastSamples.ThisHour;
        var history = ForecastSamples.HourlyCsv(end, 48);

        var first = await ReadAsync<HistoryImportDto>(await client.PostAsync("/api/forecasts/history/orders", Csv(history)));
        var second = await ReadAsync<HistoryImportDto>(await client.PostAsync("/api/forecasts/history/orders", Csv(history)));

        Assert.Equal(("hourly", "merge", 48, 0, 0, 48), (first.Frequency, first.Mode, first.Added, first.Updated, first.Unchanged, first.Total));
        Assert.Equal((0, 0, 48, 0, 48), (second.Added, second.Updated, second.Unchanged, second.Removed, second.Total));

        // One hour pushed as it closes (a single point), and one stored hour corrected: merged, the rest stays.
        var at = end.AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var next = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var pushed = await ReadAsync<HistoryImportDto>(await client.PostAsync("/api/forecasts/history/orders", Csv($"{next},4321\n")));
        var corrected = await ReadAsync<HistoryImportDto>(await client.PostAsJsonAsync("/api/forecasts/history/orders", new[] { new { timestamp = at, count = 7.0 } }));

        Assert.Equal((1, 49), (pushed.Added, pushed.Total));
        Assert.Equal((0, 1, 49), (corrected.Added, corrected.Updated, corrected.Total));
        var stored = await client.GetFromJsonAsync<HistoryPointDto[]>("/api/forecasts/history/orders");
        Assert.Equal(49, stored!.Length);
        Assert.Equal((7.0, 4321.0), (stored[^2].Count, stored[^1].Count));
        var csv = await client.GetAsync("/api/forecasts/history/orders?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith($"{next},4321\n", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_makes_the_body_the_whole_history()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var end = ForecastSamples.ThisHour;
        await client.PostAsync("/api/forecasts/history/orders", Csv(ForecastSamples.HourlyCsv(end, 48)));

        var replaced = await ReadAsync<HistoryImportDto>(await client.PostAsync("/api/forecasts/history/orders?mode=replace", Csv(ForecastSamples.HourlyCsv(end, 24))));

        Assert.Equal(("replace", 0, 24, 24, 24), (replaced.Mode, replaced.Added, replaced.Unchanged, replaced.Removed, replaced.Total));
    }

    [Theory]
    [InlineData("timestamp,count\n2026-11-02T00:00:00Z,10\n2026-11-02T01:00:00Z,ten\n", "line 3")]
    [InlineData("timestamp,count\n2026-11-02T00:00:00Z,10\n2026-11-02T01:00:00Z,-4\n", "line 3")]
    [InlineData("timestamp,count\n2026-11-02T00:00:00Z,10\n2026-11-02T00:00:00Z,11\n", "line 3")]
    [InlineData("timestamp,count\n2026-11-02T00:00:00Z,10\n2026-11-02T00:17:00Z,11\n", "line 3")]
    [InlineData("2026-11-02T00:00:00Z;10\n", "line 1")]
    [InlineData("timestamp,count\nyesterday,10\n", "line 2")]
    public async Task Bad_csv_is_a_400_that_names_the_line_and_stores_nothing(string body, string line)
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");

        var answer = await client.PostAsync("/api/forecasts/history/orders", Csv(body));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(line + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.Services.GetRequiredService<ForecastStore>().GetHistoryAsync("orders"));
    }

    [Fact]
    public async Task Other_bad_input_gets_a_4xx_problem_naming_what_is_wrong()
    {
        await using var app = Start(("Monitor:Forecasts:MaxHistoryBytes", "2048"));
        var client = app.CreateClientAs("Operator");
        var end = ForecastSamples.ThisHour;

        Assert.Equal((HttpStatusCode.BadRequest, "stream: 1 to 64 characters of a-z, 0-9, '.', '_' and '-' (not plan, campaigns, history or runs) (was 'Orders')"),
            await ProblemAsync(await client.PostAsync("/api/forecasts/history/Orders", Csv("2026-11-02T00:00:00Z,1\n"))));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/forecasts/history/plan", Csv("2026-11-02T00:00:00Z,1\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/forecasts/history/orders?mode=append", Csv("2026-11-02T00:00:00Z,1\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/api/forecasts/history/orders", Csv(ForecastSamples.HourlyCsv(end, 200)))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/api/forecasts/history/orders", new StringContent("a=b", Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "body[1].count: a number of 0 or more is expected"),
            await ProblemAsync(await client.PostAsync("/api/forecasts/history/orders", Json("""[{"timestamp":"2026-11-02T00:00:00Z","count":1},{"timestamp":"2026-11-02T01:00:00Z","count":"x"}]"""))));
        Assert.StartsWith("points[0].timestamp: a date and time with its offset",
            (await ProblemAsync(await client.PostAsync("/api/forecasts/history/orders", Json("""{"points":[{"timestamp":"2026-11-02T00:00:00","count":1}]}""")))).Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "the history needs at least two points to show its frequency"),
            await ProblemAsync(await client.PostAsync("/api/forecasts/history/orders", Csv("2026-11-02T00:00:00Z,1\n"))));

        // A daily import into an hourly stream: refused as one series, and the stored history is left as it was.
        await client.PostAsync("/api/forecasts/history/orders", Csv(ForecastSamples.HourlyCsv(end, 24)));
        var daily = await ProblemAsync(await client.PostAsync("/api/forecasts/history/orders", Csv("2025-01-01,5\n2025-01-02,6\n")));
        Assert.Equal(HttpStatusCode.BadRequest, daily.Status);
        Assert.StartsWith("with the history already stored for orders:", daily.Detail, StringComparison.Ordinal);
        Assert.Equal(24, (await app.Services.GetRequiredService<ForecastStore>().GetHistoryAsync("orders")).Count);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasts/history/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/forecasts/nothing/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/forecasts/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/forecasts/orders/history?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/forecasts/runs/not-a-guid")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/forecasts/plan?format=pdf")).StatusCode);
    }

    [Fact]
    public async Task Operators_plan_and_delete_campaigns_and_bad_ones_are_refused_by_field()
    {
        await using var app = Start();
        var client = app.CreateClientAs("Operator");
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);

        var created = await client.PostAsJsonAsync("/api/forecasts/campaigns", new { date, stream = "marketing", expectedVolume = 250000, name = "Winter sale" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var campaign = (await created.Content.ReadFromJsonAsync<CampaignDto>(Web))!;
        Assert.Equal((date, "marketing", 250000.0, "Winter sale", "api-key:test-operator"), (campaign.Date, campaign.Stream, campaign.ExpectedVolume, campaign.Name, campaign.CreatedBy));
        Assert.Equal(campaign.Id, Assert.Single((await client.GetFromJsonAsync<CampaignDto[]>("/api/forecasts/campaigns?stream=marketing", Web))!).Id);
        Assert.Empty((await client.GetFromJsonAsync<CampaignDto[]>("/api/forecasts/campaigns?stream=orders", Web))!);

        Assert.StartsWith("expectedVolume:", (await ProblemAsync(await client.PostAsJsonAsync("/api/forecasts/campaigns", new { date, stream = "marketing", expectedVolume = -1 }))).Detail, StringComparison.Ordinal);
        Assert.StartsWith("date:", (await ProblemAsync(await client.PostAsJsonAsync("/api/forecasts/campaigns", new { stream = "marketing", expectedVolume = 1 }))).Detail, StringComparison.Ordinal);
        Assert.StartsWith("stream:", (await ProblemAsync(await client.PostAsJsonAsync("/api/forecasts/campaigns", new { date, stream = "Mark eting", expectedVolume = 1 }))).Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "date: not valid (a date such as \"2026-12-01\" is expected)"),
            await ProblemAsync(await client.PostAsync("/api/forecasts/campaigns", Json("""{"date":"soon","stream":"marketing","expectedVolume":1}"""))));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/forecasts/campaigns/{campaign.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/forecasts/campaigns/{campaign.Id}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<CampaignDto[]>("/api/forecasts/campaigns", Web))!);
    }

    [Fact]
    public async Task A_forecast_made_on_demand_is_stored_with_its_model_and_backtest_and_feeds_the_plan()
    {
        await using var app = Start(("Monitor:Forecasts:Horizon", "2.00:00:00"), ("Monitor:Forecasts:Streams:orders:SendPath", "mta"));
        var client = app.CreateClientAs("Operator");
        var end = ForecastSamples.ThisHour;
        // 50 days of hours: a two-day forecast needs six weeks before its first backtest origin.
        await client.PostAsync("/api/forecasts/history/orders", Csv(ForecastSamples.HourlyCsv(end, 24 * 50)));
        await app.Services.GetRequiredService<LoadTestRunStore>().AddAsync(LoadTestSamples.Run("smtp-capacity", "mta", DateTimeOffset.UtcNow.AddDays(-1), knee: 5, held: true));

        var made = await client.PostAsync("/api/forecasts/orders/run", null);

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var forecast = (await made.Content.ReadFromJsonAsync<ForecastDto>(Web))!;
        Assert.Equal(($"/api/forecasts/runs/{forecast.Forecast.Id}", "completed", "hourly", end, "api-key:test-operator"),
            (made.Headers.Location!.OriginalString, forecast.Forecast.Status, forecast.Forecast.Frequency, forecast.Forecast.HistoryEnd, forecast.Forecast.StartedBy));
        Assert.False(string.IsNullOrEmpty(forecast.Forecast.Model));
        Assert.False(string.IsNullOrEmpty(forecast.Forecast.ModelVersion));
        Assert.Equal(48, forecast.Points.Count);
        Assert.Equal(end, forecast.Points[0].Timestamp);
        Assert.All(forecast.Points, p => Assert.True(p.Lower <= p.Predicted && p.Predicted <= p.Upper, $"{p.Lower} <= {p.Predicted} <= {p.Upper}"));
        var backtest = forecast.Forecast.Backtest!;
        Assert.True(backtest.Origins > 0);
        Assert.True(backtest.Wape <= backtest.SeasonalNaiveWape, $"the chosen model's WAPE {backtest.Wape} is never worse than seasonal naive's {backtest.SeasonalNaiveWape}");

        Assert.Equal(forecast.Forecast.Id, (await client.GetFromJsonAsync<ForecastDto>("/api/forecasts/orders", Web))!.Forecast.Id);
        Assert.Equal(forecast.Forecast.Id, Assert.Single((await client.GetFromJsonAsync<ForecastSummaryDto[]>("/api/forecasts/orders/history", Web))!).Id);

        // The hour after the history's end happens: the stored forecast is set beside it.
        var actual = forecast.Points[0].Predicted;
        await client.PostAsync("/api/forecasts/history/orders", Csv($"{end.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{actual.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n"));
        var compared = (await client.GetFromJsonAsync<ForecastDto>($"/api/forecasts/runs/{forecast.Forecast.Id}", Web))!;
        Assert.Equal((1, actual), (compared.Actual.Periods, compared.Points[0].Actual!.Value));
        Assert.Equal(0, compared.Actual.Wape!.Value, 9);

        var plan = (await client.GetFromJsonAsync<CapacityPlanDto>("/api/forecasts/plan", Web))!;
        var row = Assert.Single(plan.Rows, r => r.Period == "Forecast");
        var peak = forecast.Points.Max(p => p.Upper) / 3600;
        Assert.Equal(("mta", 0.3), (row.SendPath, plan.SafetyMargin));
        Assert.Equal(peak * 1.3, row.RequiredRate!.Value, 6);
        Assert.Equal(5 / peak - 1, row.Headroom!.Value, 6);
        var csv = await client.GetAsync("/api/forecasts/plan?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\nmta,Forecast,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var markdown = await client.GetAsync("/api/forecasts/plan?format=md");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType!.MediaType);
        Assert.Contains("| mta | Forecast | orders |", await markdown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private MonitorApplication Start(params (string Key, string? Value)[] settings) => StartService(settings);

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<T> ReadAsync<T>(HttpResponseMessage answer)
    {
        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        return (await answer.Content.ReadFromJsonAsync<T>(Web))!;
    }

    private static async Task<(HttpStatusCode Status, string? Detail)> ProblemAsync(HttpResponseMessage answer)
    {
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return (answer.StatusCode, problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }
}
