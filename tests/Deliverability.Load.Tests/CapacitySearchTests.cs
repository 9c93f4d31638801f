using System.Diagnostics;

namespace Deliverability.Load.Tests;

public sealed class CapacitySearchTests
{
    /// <summary>
    /// An in-process send path with a hard limit: at most 200 sends per one-second window, the rest get 429. Fixed
    /// windows make the limit exact whatever the machine's scheduling jitter does within a second.
    /// </summary>
    private sealed class WindowLimiter(int perSecond)
    {
        private readonly object _lock = new();
        private readonly long _origin = Stopwatch.GetTimestamp();
        private long _window = -1;
        private int _used;

        public bool TryTake()
        {
            lock (_lock)
            {
                var window = (long)Stopwatch.GetElapsedTime(_origin).TotalSeconds;
                if (window != _window)
                {
                    (_window, _used) = (window, 0);
                }

                return ++_used <= perSecond;
            }
        }
    }

    [Fact]
    public async Task The_knee_of_a_send_path_limited_to_200_per_second_is_found_within_10_percent()
    {
        var options = new CapacitySearchOptions
        {
            StartRate = 60,
            StepFactor = 1.5,
            StepDuration = TimeSpan.FromSeconds(2),
            Tolerance = 0.04,
            MaxRate = 2000,
            // Each broken rate is confirmed by a second run, so the bisection takes up to twice the runs.
            MaxSteps = 18,
            MaxTotalDuration = TimeSpan.FromSeconds(80),
            RunOptions = new LoadRunOptions { Seed = 40 },
        };

        var result = await CapacitySearch.RunAsync(rate =>
        {
            var limiter = new WindowLimiter(perSecond: 200);
            return Scenario.Create("send", _ => Task.FromResult(limiter.TryTake() ? Response.Http(202) : Response.Http(429)))
                .WithWarmUpDuration(TimeSpan.FromMilliseconds(500))
                .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), options.StepDuration))
                .WithThresholds("error_rate < 5%");
        }, options);

        Assert.True(result.Stop == CapacitySearchStop.Converged, string.Join(" / ", result.Curve.Select(point => $"{point.TargetRate}: {point.BrokenBecause}")));
        Assert.NotNull(result.KneeRate);
        Assert.InRange(result.KneeRate.Value, 180, 220);
        Assert.True(result.FirstBrokenRate > result.KneeRate);
        Assert.Equal(["step", "step", "step", "step"], result.Curve.Take(4).Select(point => point.Phase));
        Assert.Contains(result.Curve, point => point.Phase == "bisect");
        var broken = result.Curve.First(point => !point.Held);
        Assert.Contains("error_rate < 5% breached", broken.BrokenBecause);
        // A real limit breaks again when confirmed: the run after every broken step or bisection is its confirmation.
        var firstBreak = result.Curve.ToList().FindIndex(point => !point.Held);
        Assert.Equal(("confirm", false, broken.TargetRate), (result.Curve[firstBreak + 1].Phase, result.Curve[firstBreak + 1].Held, result.Curve[firstBreak + 1].TargetRate));
        Assert.All(result.Curve.Where(point => point.Held), point => Assert.True(point.ErrorRate < 0.05));
        Assert.True(result.Curve.Count <= 18);
    }

    [Fact]
    public async Task A_rate_that_breaks_once_and_holds_when_run_again_counts_as_held()
    {
        // The send path stalls once, in the first run at 40/s (a noisy neighbour on a shared machine): the search
        // confirms the break, the second run holds, and the search goes on stepping instead of stopping at 20/s.
        var result = await CapacitySearch.RunAsync(ScenarioStallingOnceAt40PerSecond(),
            new CapacitySearchOptions
            {
                StartRate = 20, StepIncrement = 20, MaxRate = 60, StepDuration = TimeSpan.FromMilliseconds(500),
                RunOptions = new LoadRunOptions { Seed = 43 },
            });

        Assert.Equal(CapacitySearchStop.MaxRateHeld, result.Stop);
        Assert.Equal(60, result.KneeRate);
        Assert.Null(result.FirstBrokenRate);
        Assert.Equal([(20.0, "step", true), (40.0, "step", false), (40.0, "confirm", true), (60.0, "step", true)],
            result.Curve.Select(point => (point.TargetRate, point.Phase, point.Held)));
    }

    [Fact]
    public async Task Without_confirmation_a_single_broken_run_ends_the_step_up()
    {
        var result = await CapacitySearch.RunAsync(ScenarioStallingOnceAt40PerSecond(),
            new CapacitySearchOptions
            {
                StartRate = 20, StepIncrement = 20, MaxRate = 60, StepDuration = TimeSpan.FromMilliseconds(500),
                Tolerance = 0.9, ConfirmBreaks = false, RunOptions = new LoadRunOptions { Seed = 44 },
            });

        // The stall at 40/s is taken for the limit: the search bisects below it and stops short of 60/s.
        Assert.Equal(CapacitySearchStop.Converged, result.Stop);
        Assert.Equal((30.0, 40.0), (result.KneeRate, result.FirstBrokenRate));
        Assert.Equal([(20.0, "step", true), (40.0, "step", false), (30.0, "bisect", true)],
            result.Curve.Select(point => (point.TargetRate, point.Phase, point.Held)));
    }

    /// <summary>A send path that never fails but for one timeout in its first run at 40/s (the machine stalled once).</summary>
    private static Func<double, ScenarioProps> ScenarioStallingOnceAt40PerSecond()
    {
        var stalled = 0;
        return rate => Scenario.Create("send", _ => Task.FromResult(rate == 40 && Interlocked.Exchange(ref stalled, 1) == 0
                ? Response.Fail(OutcomeClass.Timeout)
                : Response.Ok()))
            .WithLoadSimulations(Simulation.Inject(rate, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)))
            .WithThresholds("error_rate < 1%");
    }

    [Fact]
    public async Task A_search_whose_start_rate_breaks_says_so_after_confirming_it()
    {
        var runs = 0;
        var result = await CapacitySearch.RunAsync(
            Scenario.Create("down", _ =>
                {
                    Interlocked.Increment(ref runs);
                    return Task.FromResult(Response.Fail(OutcomeClass.ConnectionRefused));
                })
                .WithThresholds("error_rate < 1%"),
            new CapacitySearchOptions { StartRate = 20, StepDuration = TimeSpan.FromMilliseconds(500), RunOptions = new LoadRunOptions { Seed = 41 } });

        Assert.Equal(CapacitySearchStop.StartRateBroke, result.Stop);
        Assert.Null(result.KneeRate);
        Assert.Equal(20, result.FirstBrokenRate);
        Assert.Equal(["step", "confirm"], result.Curve.Select(point => point.Phase));
    }

    [Fact]
    public async Task The_search_is_bounded_by_its_maximum_rate()
    {
        var result = await CapacitySearch.RunAsync(
            Scenario.Create("fast", _ => Task.FromResult(Response.Ok())).WithThresholds("error_rate < 1%"),
            new CapacitySearchOptions
            {
                StartRate = 20, StepIncrement = 20, MaxRate = 50, StepDuration = TimeSpan.FromMilliseconds(500),
                RunOptions = new LoadRunOptions { Seed = 42 },
            });

        Assert.Equal(CapacitySearchStop.MaxRateHeld, result.Stop);
        Assert.Equal([20.0, 40.0, 50.0], result.Curve.Select(point => point.TargetRate));
        Assert.Equal(50, result.KneeRate);
    }

    [Fact]
    public async Task Invalid_search_options_are_refused_with_one_line()
    {
        var exception = await Assert.ThrowsAsync<LoadConfigurationException>(() => CapacitySearch.RunAsync(
            Scenario.Create("x", _ => Task.FromResult(Response.Ok())),
            new CapacitySearchOptions { StartRate = 0, StepFactor = 1, Tolerance = 2 }));

        Assert.DoesNotContain('\n', exception.Message);
        Assert.Contains("start rate must be positive", exception.Message);
        Assert.Contains("step factor above 1", exception.Message);
        Assert.Contains("tolerance must be between 0 and 1", exception.Message);
    }
}
