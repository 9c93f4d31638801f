namespace Deliverability.Load.Tests;

public sealed class OpenModelTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Constant_rate_run_starts_every_planned_invocation_once()
    {
        var numbers = new System.Collections.Concurrent.ConcurrentBag<long>();
        var scenario = Scenario.Create("constant", context =>
            {
                numbers.Add(context.InvocationNumber);
                return Task.FromResult(Response.Ok(statusCode: "250", sizeBytes: 10));
            })
            .WithLoadSimulations(Simulation.Inject(rate: 100, interval: Second, during: TimeSpan.FromSeconds(2)));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 1 });

        var result = Assert.Single(report.Scenarios);
        Assert.Equal(StopReason.Completed, report.StopReason);
        Assert.Equal(200, result.Started);
        Assert.Equal(200, result.Stats.Count);
        Assert.Equal(200, result.Stats.Outcomes[OutcomeClass.Ok]);
        Assert.Equal(200, result.Stats.StatusCodes["250"]);
        Assert.Equal(2000, result.Stats.Bytes);
        Assert.Equal(0, result.DroppedStarts);
        Assert.Equal(Enumerable.Range(0, 200).Select(number => (long)number), numbers.Order());
        Assert.Equal(200, result.TimeSeries.Sum(point => point.Completed));
        Assert.Equal(200, LoadHistograms.Count(result.Stats.ResponseTime.Histogram));
    }

    [Fact]
    public async Task A_stall_shows_in_response_time_from_the_plan_but_not_in_the_service_time_of_other_invocations()
    {
        // 50/s with one worker: the step of invocation 25 stalls 2 s; the 100 planned during the stall wait and start late.
        var stalled = 0;
        var scenario = Scenario.Create("stall", async context =>
            {
                return await Step.Run("send", context, async () =>
                {
                    if (context.InvocationNumber == 25 && Interlocked.Exchange(ref stalled, 1) == 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2), context.CancellationToken);
                    }

                    return Response.Smtp(250);
                });
            })
            .WithLoadSimulations(Simulation.Inject(rate: 50, interval: Second, during: TimeSpan.FromSeconds(4)))
            .WithMaxConcurrency(1)
            .WithMaxBacklog(1000);

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 2 });

        var result = Assert.Single(report.Scenarios);
        Assert.Equal(200, result.Stats.Count);
        Assert.Equal(0, result.DroppedStarts);
        Assert.True(result.Stats.ResponseTime.P99Ms >= 1500, $"p99 from the plan was {result.Stats.ResponseTime.P99Ms} ms");
        Assert.True(result.Stats.ResponseTime.MaxMs >= 1900, $"max from the plan was {result.Stats.ResponseTime.MaxMs} ms");
        Assert.True(result.Stats.ServiceTime.MaxMs >= 1900, "the stalled invocation's own service time is long");
        Assert.True(result.Stats.ServiceTime.P90Ms < 1000, $"service p90 was {result.Stats.ServiceTime.P90Ms} ms");
        Assert.True(result.LateStarts >= 50, $"late starts: {result.LateStarts}");

        // The step is where the invocations waited: it carries the wait in its response time, not in its service time.
        var send = result.FindStep("send")!.Stats;
        Assert.True(send.ResponseTime.P99Ms >= 1500, $"step p99 from the plan was {send.ResponseTime.P99Ms} ms");
        Assert.True(send.ServiceTime.P90Ms < 1000, $"step service p90 was {send.ServiceTime.P90Ms} ms");
        Assert.Equal(200, send.Outcomes[OutcomeClass.SmtpAccepted]);
    }

    [Fact]
    public async Task Starts_beyond_the_backlog_bound_are_dropped_and_counted()
    {
        // One worker, each invocation 100 ms, 50/s for 2 s: about 20 can run; a backlog of 5 drops the rest.
        var scenario = Scenario.Create("slow", async context =>
            {
                await Task.Delay(100, context.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.Inject(rate: 50, interval: Second, during: TimeSpan.FromSeconds(2)))
            .WithMaxConcurrency(1)
            .WithMaxBacklog(5);

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 3 });

        var result = Assert.Single(report.Scenarios);
        Assert.Equal(100, result.Planned);
        Assert.Equal(result.Planned, result.Started + result.DroppedStarts);
        Assert.True(result.DroppedStarts >= 50, $"dropped: {result.DroppedStarts}");
        Assert.True(result.Started <= 30, $"started: {result.Started}");
        Assert.True(result.LateStarts >= result.Started / 2, $"late: {result.LateStarts} of {result.Started}");
        Assert.Equal(result.DroppedStarts, result.TimeSeries.Sum(point => point.Dropped));
    }
}
