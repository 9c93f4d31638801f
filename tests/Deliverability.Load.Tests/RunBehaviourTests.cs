using System.Collections.Concurrent;

namespace Deliverability.Load.Tests;

public sealed class RunBehaviourTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Steps_are_timed_and_counted_by_outcome_and_status_code()
    {
        var scenario = Scenario.Create("smtp", async context =>
            {
                var connect = await Step.Run("connect", context, () => Task.FromResult(Response.Smtp(220)));
                if (!connect.IsOk)
                {
                    return connect;
                }

                var rcpt = await Step.Run("rcpt", context, () => Task.FromResult(
                    context.InvocationNumber % 4 == 0 ? Response.Smtp(450, message: "greylisted") : Response.Smtp(250)));
                if (!rcpt.IsOk)
                {
                    return rcpt;
                }

                return await Step.Run("data", context, () => Task.FromResult(Response.Smtp(250, sizeBytes: 1000)));
            })
            .WithLoadSimulations(Simulation.Inject(rate: 40, interval: Second, during: Second));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 4 });

        var result = Assert.Single(report.Scenarios);
        Assert.Equal(["connect", "rcpt", "data"], result.Steps.Select(step => step.Name));
        Assert.Equal(40, result.FindStep("connect")!.Stats.StatusCodes["220"]);
        var rcpt = result.FindStep("rcpt")!.Stats;
        Assert.Equal(10, rcpt.Outcomes[OutcomeClass.SmtpDeferred]);
        Assert.Equal(30, rcpt.Outcomes[OutcomeClass.SmtpAccepted]);
        Assert.Equal(10, rcpt.StatusCodes["450"]);
        Assert.Equal(30, result.FindStep("data")!.Stats.Count);
        Assert.Equal(30_000, result.FindStep("data")!.Stats.Bytes);
        Assert.Equal(30, result.Stats.Ok);
        Assert.Equal(10, result.Stats.Failed);
        Assert.Equal(0.25, result.Stats.ErrorRate, precision: 9);
        var error = Assert.Single(result.TopErrors, candidate => candidate.Step is null);
        Assert.Equal(("greylisted", 10L), (error.Message, error.Count));
    }

    [Fact]
    public async Task Exceptions_become_failures_classified_by_cause()
    {
        var scenario = Scenario.Create("errors", async context =>
            {
                return await Step.Run("connect", context, Task<Response> () => throw ((context.InvocationNumber % 3) switch
                {
                    0 => new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused),
                    1 => new IOException("reset", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)),
                    _ => (Exception)new System.Security.Authentication.AuthenticationException("bad certificate"),
                }));
            })
            .WithLoadSimulations(Simulation.Inject(rate: 30, interval: Second, during: Second));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 5 });

        var outcomes = report.Scenarios[0].Stats.Outcomes;
        Assert.Equal(10, outcomes[OutcomeClass.ConnectionRefused]);
        Assert.Equal(10, outcomes[OutcomeClass.ConnectionReset]);
        Assert.Equal(10, outcomes[OutcomeClass.TlsFailure]);
        Assert.Equal(30, report.Scenarios[0].FindStep("connect")!.Stats.Failed);
    }

    [Fact]
    public async Task An_invocation_that_outlives_its_timeout_is_a_timeout()
    {
        var scenario = Scenario.Create("timeout", async context =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.Inject(rate: 5, interval: Second, during: Second))
            .WithInvocationTimeout(TimeSpan.FromMilliseconds(100));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 6 });

        Assert.Equal(5, report.Scenarios[0].Stats.Outcomes[OutcomeClass.Timeout]);
        Assert.Equal(0, report.Scenarios[0].Interrupted);
    }

    [Fact]
    public async Task Closed_model_runs_as_many_copies_as_the_plan_says_and_keeps_one_state_per_worker()
    {
        var running = 0;
        var highest = 0;
        var states = new ConcurrentDictionary<int, object>();
        var disposed = 0;
        var cleaned = 0;
        var scenario = Scenario.Create("closed", async context =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref highest, now);
                context.WorkerState ??= new CountingDisposable(() => Interlocked.Increment(ref disposed));
                Assert.Same(states.GetOrAdd(context.WorkerNumber, context.WorkerState), context.WorkerState);
                await Task.Delay(20, context.CancellationToken);
                Interlocked.Decrement(ref running);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.KeepConstant(copies: 3, during: TimeSpan.FromSeconds(1.5)))
            .WithClean(context =>
            {
                cleaned = context.WorkerStates.Count(state => state is not null);
                return Task.CompletedTask;
            });

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 7 });

        var result = Assert.Single(report.Scenarios);
        Assert.Equal("closed", result.LoadModel);
        Assert.Equal(3, highest);
        Assert.Equal(3, states.Count);
        Assert.Equal(3, cleaned);
        Assert.Equal(3, disposed);
        Assert.True(result.Stats.Count >= 30, $"completed {result.Stats.Count}");
        Assert.Equal(0, result.DroppedStarts);
    }

    [Fact]
    public async Task Ramping_copies_start_one_after_another_up_to_the_target()
    {
        var running = 0;
        var highest = 0;
        var firstSeen = new ConcurrentDictionary<int, long>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scenario = Scenario.Create("ramp", async context =>
            {
                firstSeen.TryAdd(context.WorkerNumber, clock.ElapsedMilliseconds);
                InterlockedMax(ref highest, Interlocked.Increment(ref running));
                await Task.Delay(10, context.CancellationToken);
                Interlocked.Decrement(ref running);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.RampingConstant(copies: 4, during: TimeSpan.FromSeconds(2)), Simulation.KeepConstant(4, Second));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 14 });

        Assert.Equal(4, highest);
        Assert.Equal(4, firstSeen.Count);
        // Copy n joins when the ramp reaches n - 0.5 copies: worker 3 (the 4th) only after about 1.75 s of 2 s.
        Assert.True(firstSeen[3] > firstSeen[0] + 500, $"workers joined at {string.Join(", ", firstSeen.OrderBy(pair => pair.Key).Select(pair => pair.Value))} ms");
        Assert.Equal("closed", report.Scenarios[0].LoadModel);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_random_rates_and_worker_randoms()
    {
        async Task<(long Started, int Draw)> RunAsync()
        {
            var draw = 0;
            var scenario = Scenario.Create("random", context =>
                {
                    if (context.InvocationNumber == 0)
                    {
                        draw = context.Random.Next();
                    }

                    return Task.FromResult(Response.Ok());
                })
                .WithLoadSimulations(Simulation.InjectRandom(minRate: 10, maxRate: 90, interval: TimeSpan.FromMilliseconds(250), during: Second))
                .WithMaxConcurrency(1);
            var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 15 });
            return (report.Scenarios[0].Started, draw);
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Equal(15, (await LoadRunner.RunAsync(Scenario.Create("seed", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(1, Second, Second)), new LoadRunOptions { Seed = 15 })).Seed);
    }

    [Fact]
    public void Derived_seeds_are_the_same_in_every_process()
    {
        // Golden values: a run's seed must replay the same InjectRandom rates and worker randoms on another machine
        // (HashCode.Combine, randomised per process, would not).
        Assert.Equal(420083182, Deliverability.Load.Running.SeedMix.Derive(15, 0));
        Assert.Equal(1675836428, Deliverability.Load.Running.SeedMix.Derive(15, 3, 2));
        Assert.NotEqual(Deliverability.Load.Running.SeedMix.Derive(15, 0), Deliverability.Load.Running.SeedMix.Derive(16, 0));
    }

    [Fact]
    public async Task Init_data_reaches_the_invocations_and_a_failing_init_is_a_clear_error()
    {
        string? seen = null;
        var scenario = Scenario.Create("init", context =>
            {
                seen = (string?)context.ScenarioData["target"];
                return Task.FromResult(Response.Ok());
            })
            .WithInit(context =>
            {
                context.Data["target"] = "127.0.0.1:2525";
                return Task.CompletedTask;
            })
            .WithLoadSimulations(Simulation.Inject(rate: 2, interval: Second, during: Second));

        await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 8 });
        Assert.Equal("127.0.0.1:2525", seen);

        var failing = scenario.WithInit(_ => throw new InvalidOperationException("no route\nto host"));
        var exception = await Assert.ThrowsAsync<LoadConfigurationException>(() => LoadRunner.RunAsync(failing));
        Assert.Equal("scenario 'init': init failed: no route?to host", exception.Message);
    }

    [Fact]
    public async Task An_init_that_never_finishes_is_bounded_by_the_max_duration()
    {
        var scenario = Scenario.Create("stuck", _ => Task.FromResult(Response.Ok()))
            .WithInit(_ => new TaskCompletionSource().Task);

        var exception = await Assert.ThrowsAsync<LoadConfigurationException>(() =>
            LoadRunner.RunAsync(scenario, new LoadRunOptions { MaxDuration = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("scenario 'stuck': init did not finish within the run's max duration", exception.Message);
    }

    [Fact]
    public async Task Invalid_runs_are_refused_before_starting_with_one_line()
    {
        var ran = false;
        var scenario = Scenario.Create("dup", _ =>
        {
            ran = true;
            return Task.FromResult(Response.Ok());
        });

        var exception = await Assert.ThrowsAsync<LoadConfigurationException>(() => LoadRunner.RunAsync(
            [scenario, scenario.WithMaxConcurrency(0)], new LoadRunOptions { MaxDuration = TimeSpan.Zero }));

        Assert.False(ran);
        Assert.DoesNotContain('\n', exception.Message);
        Assert.Contains("max duration must be positive", exception.Message);
        Assert.Contains("scenario 'dup': max concurrency must be between 1 and 10000", exception.Message);
        Assert.Contains("scenario name 'dup' is used more than once", exception.Message);
    }

    [Fact]
    public async Task Max_invocations_bounds_the_run()
    {
        var scenario = Scenario.Create("bounded", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(rate: 200, interval: Second, during: TimeSpan.FromSeconds(30)));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { MaxInvocations = 50, Seed = 9 });

        Assert.Equal(StopReason.MaxInvocations, report.StopReason);
        Assert.Equal(50, report.Scenarios[0].Started);
        Assert.True(report.DurationSeconds < 20);
    }

    [Fact]
    public async Task Max_duration_stops_the_run_and_interrupts_what_is_in_flight()
    {
        var scenario = Scenario.Create("endless", async context =>
            {
                await Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(Simulation.KeepConstant(copies: 2, during: TimeSpan.FromMinutes(10)));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { MaxDuration = TimeSpan.FromSeconds(1), Seed = 10 });

        Assert.Equal(StopReason.MaxDuration, report.StopReason);
        Assert.Equal(2, report.Scenarios[0].Interrupted);
        Assert.Equal(0, report.Scenarios[0].Stats.Count);
        Assert.True(report.DurationSeconds < 30);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_the_run_with_a_report()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var scenario = Scenario.Create("cancelled", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(rate: 50, interval: Second, during: TimeSpan.FromMinutes(5)));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 11 }, cancellationToken: cancellation.Token);

        Assert.Equal(StopReason.Cancelled, report.StopReason);
        Assert.InRange(report.Scenarios[0].Started, 0, 150); // 5 minutes would have been 15,000
    }

    [Fact]
    public async Task Warm_up_statistics_are_discarded()
    {
        var scenario = Scenario.Create("warm", context =>
                Task.FromResult(context.Stats is null ? Response.Fail(message: "warm-up") : Response.Ok()))
            .WithWarmUpDuration(TimeSpan.FromSeconds(1))
            .WithLoadSimulations(Simulation.Inject(rate: 20, interval: Second, during: Second));

        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 12 });

        var result = report.Scenarios[0];
        Assert.Equal(20, result.Started);
        Assert.Equal(20, result.Stats.Ok);
        Assert.Equal(0, result.Stats.Failed);
    }

    [Fact]
    public async Task Sinks_receive_start_realtime_and_final_statistics_and_a_failing_sink_stops_nothing()
    {
        var sink = new RecordingSink();
        var scenario = Scenario.Create("sinks", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(rate: 20, interval: Second, during: TimeSpan.FromSeconds(2.5)))
            .WithThresholds("p99 < 10s");

        var report = await LoadRunner.RunAsync(scenario,
            new LoadRunOptions { Seed = 13, ReportingInterval = TimeSpan.FromMilliseconds(500), TestName = "sink test" },
            [new FailingSink(), sink]);

        Assert.Equal("sink test", Assert.Single(sink.Starts).TestName);
        Assert.True(sink.Realtime.Count >= 2, $"realtime snapshots: {sink.Realtime.Count}");
        var last = sink.Realtime[^1].Scenarios.Single();
        Assert.Equal("sinks", last.Scenario);
        Assert.True(last.Started > 0);
        Assert.Equal("p99 < 10s", Assert.Single(last.Thresholds).Expression);
        Assert.Same(report, Assert.Single(sink.Finals));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }

    private sealed class CountingDisposable(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }

    private sealed class RecordingSink : IReportingSink
    {
        public List<RunStartInfo> Starts { get; } = [];
        public List<RealtimeStats> Realtime { get; } = [];
        public List<RunReport> Finals { get; } = [];

        public Task StartAsync(RunStartInfo run, CancellationToken cancellationToken)
        {
            Starts.Add(run);
            return Task.CompletedTask;
        }

        public Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken)
        {
            Realtime.Add(stats);
            return Task.CompletedTask;
        }

        public Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken)
        {
            Finals.Add(report);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingSink : IReportingSink
    {
        public Task StartAsync(RunStartInfo run, CancellationToken cancellationToken) => throw new InvalidOperationException("down");

        public Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken) => Task.FromException(new IOException("down"));

        public Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken) => throw new IOException("down");
    }
}
