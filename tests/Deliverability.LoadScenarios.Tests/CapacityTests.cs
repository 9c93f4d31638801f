using Deliverability.Load;
using Deliverability.Testing.Mail;

namespace Deliverability.LoadScenarios.Tests;

/// <summary>The capacity search finds the knee of a server whose limit is known.</summary>
[Collection(MeasuredRates.Name)]
public sealed class CapacityTests
{
    [Fact]
    public async Task The_knee_of_smtp_sink_answering_data_after_one_second_on_twenty_connections_is_twenty_per_second()
    {
        await using var sink = await SmtpSink.StartAsync("-w", "1");
        var definition = new LoadTestDefinition
        {
            Name = "smtp-knee",
            Kind = LoadTestKind.Smtp,
            Smtp = new SmtpTarget
            {
                Host = sink.Host,
                Port = sink.Port,
                From = "loadtest@example.com",
                Recipients = ["knee@example.com"],
                Connections = 20,
                MessagesPerConnection = 1000,
                CommandTimeout = TimeSpan.FromSeconds(10),
            },
            Capacity = new CapacityShape { StartRate = 15, StepFactor = 1.3, MaxRate = 60, StepDuration = TimeSpan.FromSeconds(4), Tolerance = 0.05, MaxSteps = 16 },
            // The warm-up of each step opens the connections, so a step measures sending, not the first connect.
            Load = new LoadShape { WarmUp = TimeSpan.FromSeconds(2) },
            // smtp-sink fires its -w timer on whole seconds, so a reply to DATA comes 0.5 to 1.5 s after it and the
            // queue for a connection adds up to another second well below the limit: the knee shows as the rate the
            // 20 connections cannot start (the search's achieved-rate check), not as a tight p99.
            Thresholds = ["p99 < 2500ms", "error_rate < 1%"],
            MaxDuration = TimeSpan.FromSeconds(150),
        };

        var outcome = await LoadTestExecution.RunAsync(definition, LoadTestSafety.Default, [], CancellationToken.None);

        var curve = string.Join("; ", outcome.Capacity!.Curve.Select(p => $"{p.TargetRate:0.#} {(p.Held ? "held" : p.BrokenBecause)}"))
            + " | " + string.Join(", ", outcome.Report.Scenarios.Single().TopErrors.Select(e => $"{e.Outcome} {e.Message} x{e.Count}"));
        Assert.True(outcome.Capacity.KneeRate is >= 18 and <= 22, $"knee {outcome.Capacity.KneeRate}: {curve}");
        Assert.True(outcome.ThresholdsHeld);
        // The report is the run at the knee: its planned starts are the knee's rate over the step.
        Assert.InRange(outcome.Report.Scenarios.Single().Planned, outcome.Capacity.KneeRate!.Value * 4 * 0.9, outcome.Capacity.KneeRate.Value * 4 * 1.1);
        // The report file (report.json of --report) carries the search: the knee and every rate tried.
        var written = RunReport.FromJson(outcome.Report.ToJson()).Capacity;
        Assert.NotNull(written);
        Assert.Equal((outcome.Capacity.KneeRate, outcome.Capacity.Stop), (written.KneeRate, written.Stop));
        Assert.Equal(outcome.Capacity.Curve.Select(p => (p.TargetRate, p.Held, p.Phase)), written.Curve.Select(p => (p.TargetRate, p.Held, p.Phase)));
    }

    [Fact]
    public async Task The_knee_of_an_api_rate_limited_at_500_per_second_is_500_per_second()
    {
        await using var api = await SendApiEndpoint.StartAsync(limitPerSecond: 500);
        var definition = new LoadTestDefinition
        {
            Name = "http-knee",
            Kind = LoadTestKind.Http,
            Http = new HttpTarget { Url = api.Url("limited"), Connections = 50 },
            Capacity = new CapacityShape { StartRate = 200, StepFactor = 1.5, MaxRate = 2000, StepDuration = TimeSpan.FromSeconds(3), Tolerance = 0.04, MaxSteps = 16 },
            Load = new LoadShape { WarmUp = TimeSpan.FromSeconds(1) },
            Thresholds = ["error_rate < 1%"],
            MaxDuration = TimeSpan.FromSeconds(120),
        };

        var outcome = await LoadTestExecution.RunAsync(definition, LoadTestSafety.Default, [], CancellationToken.None);

        var curve = string.Join("; ", outcome.Capacity!.Curve.Select(p => $"{p.TargetRate:0.#} {(p.Held ? "held" : p.BrokenBecause)}"))
            + " | " + string.Join(", ", outcome.Report.Scenarios.Single().TopErrors.Select(e => $"{e.Outcome} {e.Message} x{e.Count}"));
        Assert.True(outcome.Capacity.KneeRate is >= 450 and <= 550, $"knee {outcome.Capacity.KneeRate}: {curve}");
        Assert.True(outcome.Capacity.Curve.Any(point => !point.Held && point.ErrorRate > 0.01), curve);
    }
}
