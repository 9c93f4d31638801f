namespace Deliverability.Load.Tests;

public sealed class LoadPlanTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static TimeSpan Seconds(double value) => TimeSpan.FromSeconds(value);

    [Fact]
    public void Inject_spaces_arrivals_evenly_from_the_plan_start_without_drift()
    {
        var plan = LoadPlan.Create([Simulation.Inject(rate: 100, interval: Second, during: Seconds(30))]);

        var arrivals = plan.Arrivals().ToList();

        Assert.Equal(3000, arrivals.Count);
        Assert.Equal(3000, plan.ExpectedArrivals);
        Assert.Equal(TimeSpan.Zero, arrivals[0]);
        // Arrival k is at exactly k / rate: the 2999th is not the sum of 2999 rounded sleeps.
        Assert.Equal(29.99, arrivals[2999].TotalSeconds, precision: 9);
        Assert.Equal(12.34, arrivals[1234].TotalSeconds, precision: 9);
        Assert.Equal(100, plan.RateAt(Seconds(15)));
    }

    [Fact]
    public void Rate_is_per_interval()
    {
        var plan = LoadPlan.Create([Simulation.Inject(rate: 30, interval: TimeSpan.FromMinutes(1), during: TimeSpan.FromMinutes(2))]);

        Assert.Equal(0.5, plan.RateAt(Seconds(10)), precision: 9);
        Assert.Equal(60, plan.ExpectedArrivals);
        Assert.Equal(2, plan.Arrivals().ElementAt(1).TotalSeconds, precision: 9);
    }

    [Fact]
    public void RampingInject_moves_linearly_from_the_previous_rate()
    {
        var plan = LoadPlan.Create(
        [
            Simulation.Inject(rate: 10, interval: Second, during: Seconds(10)),
            Simulation.RampingInject(rate: 110, interval: Second, during: Seconds(10)),
        ]);

        Assert.Equal(10, plan.RateAt(Seconds(9.9)), precision: 6);
        Assert.Equal(10, plan.RateAt(Seconds(10)), precision: 6);
        Assert.Equal(60, plan.RateAt(Seconds(15)), precision: 6);
        Assert.Equal(105, plan.RateAt(Seconds(19.5)), precision: 6);
        Assert.Equal(0, plan.RateAt(Seconds(20)));
        // 100 in the hold, then the ramp's area: (10 + 110) / 2 * 10 = 600.
        Assert.Equal(700, plan.ExpectedArrivals);
        Assert.Equal(700, plan.Arrivals().Count());
    }

    [Fact]
    public void Ramp_arrivals_get_denser_as_the_rate_rises()
    {
        var plan = LoadPlan.Create([Simulation.RampingInject(rate: 200, interval: Second, during: Seconds(10))]);

        var arrivals = plan.Arrivals().Select(arrival => arrival.TotalSeconds).ToList();

        Assert.Equal(1000, arrivals.Count);
        Assert.Equal(0, arrivals[0]);
        Assert.True(arrivals.Zip(arrivals.Skip(1)).All(pair => pair.Second > pair.First));
        // The integral of a ramp from 0 reaches n at t = sqrt(2 n D / r): 500 at sqrt(50) s.
        Assert.Equal(Math.Sqrt(50), arrivals[500], precision: 6); // TimeSpan keeps 100 ns
        Assert.Equal(250, arrivals.Count(time => time < 5));
    }

    [Fact]
    public void A_ramp_after_a_pause_starts_from_zero()
    {
        var plan = LoadPlan.Create(
        [
            Simulation.Inject(rate: 50, interval: Second, during: Seconds(2)),
            Simulation.Pause(Seconds(3)),
            Simulation.RampingInject(rate: 100, interval: Second, during: Seconds(2)),
        ]);

        Assert.Equal(0, plan.RateAt(Seconds(3)));
        Assert.Equal(50, plan.RateAt(Seconds(6)), precision: 6);
        Assert.DoesNotContain(plan.Arrivals(), arrival => arrival >= Seconds(2) && arrival < Seconds(5));
        Assert.Equal(100 + 100, plan.ExpectedArrivals);
        Assert.Equal(TimeSpan.FromSeconds(7), plan.Duration);
    }

    [Fact]
    public void InjectRandom_draws_a_rate_per_interval_within_bounds_repeatably()
    {
        LoadSimulation[] simulations = [Simulation.InjectRandom(minRate: 20, maxRate: 80, interval: Second, during: Seconds(20))];
        var plan = LoadPlan.Create(simulations, seed: 7);
        var again = LoadPlan.Create(simulations, seed: 7);
        var other = LoadPlan.Create(simulations, seed: 8);

        Assert.Equal(20, plan.Segments.Count);
        Assert.All(plan.Segments, segment => Assert.InRange(segment.From, 20, 80));
        Assert.True(plan.Segments.Select(segment => segment.From).Distinct().Count() > 10);
        Assert.Equal(plan.Segments, again.Segments);
        Assert.NotEqual(plan.Segments.Select(segment => segment.From), other.Segments.Select(segment => segment.From));
        Assert.Equal(plan.ExpectedArrivals, plan.Arrivals().Count());
    }

    [Fact]
    public void Closed_model_copies_keep_and_ramp()
    {
        var plan = LoadPlan.Create(
        [
            Simulation.RampingConstant(copies: 10, during: Seconds(10)),
            Simulation.KeepConstant(copies: 10, during: Seconds(5)),
            Simulation.RampingConstant(copies: 0, during: Seconds(5)),
        ]);

        Assert.False(plan.IsOpen);
        Assert.Equal(10, plan.MaxCopies);
        Assert.Equal(0, plan.CopiesAt(TimeSpan.Zero));
        Assert.Equal(5, plan.CopiesAt(Seconds(5)));
        Assert.Equal(10, plan.CopiesAt(Seconds(12)));
        Assert.Equal(5, plan.CopiesAt(Seconds(17.5)));
        Assert.Equal(0, plan.CopiesAt(Seconds(20)));
        Assert.Equal(0, plan.RateAt(Seconds(12)));
        Assert.Empty(plan.Arrivals());
    }

    [Fact]
    public void Idle_copies_know_when_the_plan_needs_them()
    {
        var plan = LoadPlan.Create(
        [
            Simulation.RampingConstant(copies: 10, during: Seconds(10)),
            Simulation.Pause(Seconds(5)),
            Simulation.KeepConstant(copies: 3, during: Seconds(5)),
        ]);

        // Copy 4 (the 5th) joins when the ramp reaches 4.5 copies: at 4.5 s.
        Assert.Equal(4.5, plan.NextTimeCopiesExceed(4, TimeSpan.Zero)!.Value.TotalSeconds, precision: 6);
        Assert.Equal(5, plan.CopiesAt(Seconds(4.5)));
        Assert.Equal(4, plan.CopiesAt(Seconds(4.49)));
        Assert.Equal(Seconds(6), plan.NextTimeCopiesExceed(2, Seconds(6)));
        Assert.Equal(Seconds(15), plan.NextTimeCopiesExceed(2, Seconds(11)));
        Assert.Null(plan.NextTimeCopiesExceed(3, Seconds(11)));
    }

    [Theory]
    [InlineData("mix", "mix the open model")]
    [InlineData("negative", "'during' must be positive")]
    [InlineData("minmax", "minRate is above maxRate")]
    [InlineData("empty", "no load simulation")]
    [InlineData("huge", "exceeds 1000000 per second")]
    public void Invalid_simulations_are_refused_with_one_line(string kind, string expected)
    {
        LoadSimulation[] simulations = kind switch
        {
            "mix" => [Simulation.Inject(10, Second, Second), Simulation.KeepConstant(2, Second)],
            "negative" => [Simulation.Inject(10, Second, TimeSpan.Zero)],
            "minmax" => [Simulation.InjectRandom(50, 10, Second, Second)],
            "huge" => [Simulation.Inject(2_000_000, Second, Second)],
            _ => [],
        };

        var exception = Assert.Throws<ArgumentException>(() => LoadPlan.Create(simulations));

        Assert.Contains(expected, exception.Message);
        var problems = Scenario.Create("s", _ => Task.FromResult(Response.Ok())).WithLoadSimulations(simulations).Validate();
        var problem = Assert.Single(problems);
        Assert.DoesNotContain('\n', problem);
        Assert.StartsWith("scenario 's': ", problem);
    }

    [Fact]
    public void Simulations_describe_themselves()
    {
        Assert.Equal("inject 100/1s for 30s", Simulation.Inject(100, Second, Seconds(30)).ToString());
        Assert.Equal("ramping constant to 5 copies over 10s", Simulation.RampingConstant(5, Seconds(10)).ToString());
        Assert.Equal("pause 500ms", Simulation.Pause(TimeSpan.FromMilliseconds(500)).ToString());
    }
}
