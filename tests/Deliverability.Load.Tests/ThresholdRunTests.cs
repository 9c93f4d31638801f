namespace Deliverability.Load.Tests;

public sealed class ThresholdRunTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Verdicts_say_held_or_breached_with_the_observed_value()
    {
        var scenario = Scenario.Create("verdicts", async context =>
            {
                await Step.Run("connect", context, () => Task.FromResult(Response.Ok()));
                return context.InvocationNumber % 10 == 0 ? Response.Fail(OutcomeClass.SmtpRejected, "550") : Response.Smtp(250);
            })
            .WithLoadSimulations(Simulation.Inject(rate: 50, interval: Second, during: Second))
            .WithThresholds("error_rate < 5%", "error_rate < 20%", "p99 < 10s", "connect.error_rate < 1%", "missing.p99 < 1ms",
                "accepted_per_s >= 1000");

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 20 });

        var verdicts = report.Scenarios[0].Thresholds.ToDictionary(verdict => verdict.Expression);
        Assert.False(verdicts["error_rate < 5%"].Held);
        Assert.Equal(0.1, verdicts["error_rate < 5%"].Observed, precision: 9);
        Assert.Equal("ratio", verdicts["error_rate < 5%"].Unit);
        Assert.True(verdicts["error_rate < 20%"].Held);
        Assert.True(verdicts["p99 < 10s"].Held);
        Assert.Equal("held", verdicts["connect.error_rate < 1%"].Status);
        Assert.Equal("connect", verdicts["connect.error_rate < 1%"].Step);
        Assert.False(verdicts["missing.p99 < 1ms"].Held);
        Assert.Equal("step 'missing' never ran", verdicts["missing.p99 < 1ms"].Note);
        Assert.False(verdicts["accepted_per_s >= 1000"].Held);
        Assert.InRange(verdicts["accepted_per_s >= 1000"].Observed, 10, 60);
        Assert.False(report.ThresholdsHeld);
        Assert.Equal(StopReason.Completed, report.StopReason);
    }

    [Fact]
    public async Task A_breached_abort_on_fail_threshold_stops_the_run_early_and_the_report_says_so()
    {
        var scenario = Scenario.Create("abort", _ => Task.FromResult(Response.Http(503)))
            .WithLoadSimulations(Simulation.Inject(rate: 20, interval: Second, during: TimeSpan.FromSeconds(60)))
            .WithThresholds(Threshold.Parse("error_rate < 1%", abortOnFail: true), Threshold.Parse("p99 < 10s"));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 21 });

        Assert.Equal(StopReason.ThresholdAbort, report.StopReason);
        Assert.Equal("abort: error_rate < 1%", report.AbortedBy);
        Assert.True(report.DurationSeconds < 30, $"ran {report.DurationSeconds} s");
        var verdict = report.Scenarios[0].Thresholds.Single(candidate => candidate.Expression == "error_rate < 1%");
        Assert.True(verdict.AbortedRun);
        Assert.False(verdict.Held);
        Assert.Equal(1, verdict.Observed);
        Assert.False(report.Scenarios[0].Thresholds.Single(candidate => candidate.Expression == "p99 < 10s").AbortedRun);
        Assert.Equal(report.Scenarios[0].Stats.Count, report.Scenarios[0].Stats.Outcomes[OutcomeClass.HttpServerError]);
    }

    [Fact]
    public async Task The_grace_period_delays_an_abort()
    {
        var scenario = Scenario.Create("grace", _ => Task.FromResult(Response.Http(429)))
            .WithLoadSimulations(Simulation.Inject(rate: 20, interval: Second, during: TimeSpan.FromSeconds(2)))
            .WithThresholds(Threshold.Parse("error_rate < 1%", abortOnFail: true, abortGracePeriod: TimeSpan.FromMinutes(1)));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 22 });

        Assert.Equal(StopReason.Completed, report.StopReason);
        Assert.Equal(40, report.Scenarios[0].Stats.Outcomes[OutcomeClass.HttpRateLimited]);
        Assert.False(report.Scenarios[0].Thresholds[0].Held);
        Assert.False(report.Scenarios[0].Thresholds[0].AbortedRun);
    }
}
