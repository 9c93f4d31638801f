using Deliverability.Load;
using Deliverability.Testing.Mail;

namespace Deliverability.LoadScenarios.Tests;

/// <summary>
/// A stalled server must show in the latency: starts planned while smtp-sink is frozen (SIGSTOP) wait, and their
/// latency counts from when they were planned, not from when a worker got to them.
/// </summary>
[Collection(MeasuredRates.Name)]
public sealed class CoordinatedOmissionTests
{
    [Fact]
    public async Task Freezing_the_server_for_two_seconds_shows_in_p99_and_in_late_starts()
    {
        await using var sink = await SmtpSink.StartAsync();
        var definition = new LoadTestDefinition
        {
            Name = "stall",
            Kind = LoadTestKind.Smtp,
            Smtp = new SmtpTarget
            {
                Host = sink.Host,
                Port = sink.Port,
                From = "loadtest@example.com",
                Recipients = ["stall@example.com"],
                Connections = 20,
                MessagesPerConnection = 1000,
                CommandTimeout = TimeSpan.FromSeconds(10),
            },
            Load = new LoadShape { Rate = 40, Duration = TimeSpan.FromSeconds(12) },
            Thresholds = ["p99 < 1000ms"],
        };

        var running = LoadTestExecution.RunAsync(definition, LoadTestSafety.Default, [], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(5));
        sink.Freeze();
        await Task.Delay(TimeSpan.FromSeconds(2));
        sink.Thaw();
        var outcome = await running;

        var scenario = outcome.Report.Scenarios.Single();
        Assert.True(scenario.Stats.ResponseTime.P99Ms >= 1500, $"p99 {scenario.Stats.ResponseTime.P99Ms} ms");
        Assert.True(scenario.LateStarts > 0, "no late start counted");
        // What the server itself took stays short for most messages: the wait was for a worker, and it is counted.
        Assert.True(scenario.Stats.ServiceTime.P50Ms < scenario.Stats.ResponseTime.P99Ms);
        Assert.False(outcome.ThresholdsHeld);
        Assert.Contains(scenario.Thresholds, verdict => verdict.Expression == "p99 < 1000ms" && !verdict.Held);
    }
}
