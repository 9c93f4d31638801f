using System.Text.Json;
using Deliverability.Load;

namespace Deliverability.LoadScenarios.Tests;

public sealed class HttpSendScenarioTests
{
    private static Task<RunReport> RunAsync(ScenarioProps scenario, double rate, TimeSpan duration) =>
        LoadRunner.RunAsync(scenario.WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), duration)),
            new LoadRunOptions { MaxDuration = duration + TimeSpan.FromSeconds(20), TestName = "http test", Seed = 1 });

    [Fact]
    public async Task Each_request_gets_its_number_a_new_uuid_and_the_recipients_in_turn()
    {
        await using var api = await SendApiEndpoint.StartAsync();
        var target = new HttpTarget
        {
            Url = api.Url("send"),
            Headers = [KeyValuePair.Create("Content-Type", "application/json")],
            Body = """{"n":{{n}},"id":"{{uuid}}","to":"{{recipient}}"}""",
            Recipients = ["one@example.com", "two@example.com"],
            Connections = 4,
        };
        var report = await RunAsync(HttpSendScenario.Create("http", target), rate: 20, TimeSpan.FromSeconds(1));

        Assert.Equal(20, report.Scenarios.Single().Stats.Outcomes[OutcomeClass.HttpSuccess]);
        var bodies = api.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 20), bodies.Select(b => b.GetProperty("n").GetInt32()).Order());
        Assert.Equal(20, bodies.Select(b => Guid.Parse(b.GetProperty("id").GetString()!)).Distinct().Count());
        Assert.All(bodies, b => Assert.Equal(b.GetProperty("n").GetInt32() % 2 == 0 ? "one@example.com" : "two@example.com", b.GetProperty("to").GetString()));
    }

    [Theory]
    [InlineData("broken", OutcomeClass.HttpServerError, "503")]
    [InlineData("rejected", OutcomeClass.HttpClientError, "400")]
    [InlineData("throttled", OutcomeClass.HttpRateLimited, "429")]
    public async Task Statuses_are_counted_by_class_and_code(string path, OutcomeClass outcome, string status)
    {
        await using var api = await SendApiEndpoint.StartAsync();
        var report = await RunAsync(HttpSendScenario.Create("http", new HttpTarget { Url = api.Url(path) }), rate: 10, TimeSpan.FromSeconds(1));

        var stats = report.Scenarios.Single().Stats;
        Assert.Equal(10, stats.Outcomes[outcome]);
        Assert.Equal(10, stats.StatusCodes[status]);
    }

    [Fact]
    public async Task A_closed_port_is_connection_refused()
    {
        var report = await RunAsync(HttpSendScenario.Create("http", new HttpTarget { Url = new Uri($"http://127.0.0.1:{Deliverability.Testing.Network.FreePort.Tcp()}/send") }), rate: 5, TimeSpan.FromSeconds(1));

        Assert.Equal(5, report.Scenarios.Single().Stats.Outcomes[OutcomeClass.ConnectionRefused]);
    }

    [Fact]
    public async Task Honouring_retry_after_pauses_the_worker_that_got_the_429()
    {
        await using var api = await SendApiEndpoint.StartAsync(retryAfterSeconds: 2);
        var target = new HttpTarget { Url = api.Url("throttled"), Connections = 1, HonourRetryAfter = true };
        var report = await RunAsync(HttpSendScenario.Create("http", target), rate: 5, TimeSpan.FromSeconds(1));

        // One worker: after the first 429 it waits the stated 2 s before each next request.
        var times = api.Received.Select(r => r.At).ToList();
        Assert.True(times.Count >= 2, $"{times.Count} requests");
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1.9), $"{(pair.Second - pair.First).TotalSeconds} s apart"));
        Assert.True(report.Scenarios.Single().Stats.ResponseTime.MaxMs >= 1900);
    }

    [Fact]
    public async Task Without_honouring_retry_after_requests_keep_the_planned_rate()
    {
        await using var api = await SendApiEndpoint.StartAsync(retryAfterSeconds: 2);
        var target = new HttpTarget { Url = api.Url("throttled"), Connections = 1 };
        await RunAsync(HttpSendScenario.Create("http", target), rate: 5, TimeSpan.FromSeconds(1));

        Assert.Equal(5, api.Received.Count);
    }

    [Fact]
    public void A_header_from_a_missing_environment_variable_is_refused_naming_the_variable()
    {
        var target = new HttpTarget { Url = new Uri("http://127.0.0.1:1/send"), HeadersFromEnvironment = [KeyValuePair.Create("Authorization", "NO_SUCH_TOKEN")] };

        var error = Assert.Throws<LoadConfigurationException>(() => HttpSendScenario.Create("http", target, _ => null));
        Assert.Contains("NO_SUCH_TOKEN", error.Message);
    }
}
