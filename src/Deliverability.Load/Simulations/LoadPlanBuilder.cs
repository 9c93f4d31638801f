using System.Globalization;

namespace Deliverability.Load;

/// <summary>Turns load simulations into plan segments, refusing what cannot run with a one-line message.</summary>
internal static class LoadPlanBuilder
{
    public const double MaxRatePerSecond = 1_000_000;
    public const int MaxCopies = 10_000;
    public const int MaxSegments = 100_000;
    public static readonly TimeSpan MaxPlanDuration = TimeSpan.FromDays(1);

    public static LoadPlan Build(IReadOnlyList<LoadSimulation> simulations, int seed,
        Func<IReadOnlyList<LoadPlanSegment>, bool, LoadPlan> create)
    {
        var problem = Problem(simulations);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(simulations));
        }

        var isOpen = !simulations.Any(simulation => simulation.IsClosed);
        var random = new Random(seed);
        var segments = new List<LoadPlanSegment>();
        var at = TimeSpan.Zero;
        var previous = 0.0;
        foreach (var simulation in simulations)
        {
            var end = at + simulation.During;
            switch (simulation.Kind)
            {
                case LoadSimulationKind.Inject:
                    previous = PerSecond(simulation.Rate, simulation.Interval);
                    segments.Add(new LoadPlanSegment(at, end, previous, previous, simulation.Kind));
                    break;
                case LoadSimulationKind.RampingInject:
                    var target = PerSecond(simulation.Rate, simulation.Interval);
                    segments.Add(new LoadPlanSegment(at, end, previous, target, simulation.Kind));
                    previous = target;
                    break;
                case LoadSimulationKind.InjectRandom:
                    for (var chunkStart = at; chunkStart < end; chunkStart += simulation.Interval)
                    {
                        var chunkEnd = chunkStart + simulation.Interval < end ? chunkStart + simulation.Interval : end;
                        var drawn = simulation.MinRate + (random.NextDouble() * (simulation.MaxRate - simulation.MinRate));
                        previous = PerSecond(drawn, simulation.Interval);
                        segments.Add(new LoadPlanSegment(chunkStart, chunkEnd, previous, previous, simulation.Kind));
                    }

                    break;
                case LoadSimulationKind.KeepConstant:
                    previous = simulation.Copies;
                    segments.Add(new LoadPlanSegment(at, end, previous, previous, simulation.Kind));
                    break;
                case LoadSimulationKind.RampingConstant:
                    segments.Add(new LoadPlanSegment(at, end, previous, simulation.Copies, simulation.Kind));
                    previous = simulation.Copies;
                    break;
                default:
                    previous = 0;
                    segments.Add(new LoadPlanSegment(at, end, 0, 0, simulation.Kind));
                    break;
            }

            at = end;
        }

        return create(segments, isOpen);
    }

    /// <summary>The first problem of <paramref name="simulations"/>, or null.</summary>
    public static string? Problem(IReadOnlyList<LoadSimulation>? simulations)
    {
        if (simulations is null || simulations.Count == 0)
        {
            return "no load simulation: give at least one (Simulation.Inject, KeepConstant...)";
        }

        if (simulations.Any(simulation => simulation.IsOpen) && simulations.Any(simulation => simulation.IsClosed))
        {
            return "load simulations mix the open model (Inject*) and the closed model (*Constant); use one per scenario";
        }

        var total = TimeSpan.Zero;
        long segments = 0;
        for (var index = 0; index < simulations.Count; index++)
        {
            var simulation = simulations[index];
            var name = $"load simulation {index + 1} ({simulation.Kind})";
            if (simulation.During <= TimeSpan.Zero)
            {
                return $"{name}: 'during' must be positive";
            }

            total += simulation.During;
            if (simulation.IsOpen)
            {
                if (simulation.Interval < TimeSpan.FromMilliseconds(1))
                {
                    return $"{name}: 'interval' must be at least 1 ms";
                }

                var rates = simulation.Kind == LoadSimulationKind.InjectRandom
                    ? new[] { simulation.MinRate, simulation.MaxRate }
                    : [simulation.Rate];
                foreach (var rate in rates)
                {
                    if (!double.IsFinite(rate) || rate < 0)
                    {
                        return $"{name}: the rate must be a number >= 0";
                    }

                    if (PerSecond(rate, simulation.Interval) > MaxRatePerSecond)
                    {
                        return $"{name}: the rate exceeds {MaxRatePerSecond.ToString(CultureInfo.InvariantCulture)} per second";
                    }
                }

                if (simulation.Kind == LoadSimulationKind.InjectRandom)
                {
                    if (simulation.MinRate > simulation.MaxRate)
                    {
                        return $"{name}: minRate is above maxRate";
                    }

                    segments += (long)Math.Ceiling(simulation.During / simulation.Interval);
                }
                else
                {
                    segments++;
                }
            }
            else if (simulation.IsClosed && simulation.Copies is < 0 or > MaxCopies)
            {
                return $"{name}: copies must be between 0 and {MaxCopies}";
            }

            if (total > MaxPlanDuration || segments > MaxSegments)
            {
                return $"the load simulations are too long (at most {MaxPlanDuration.TotalHours} h and {MaxSegments} random intervals)";
            }
        }

        return null;
    }

    private static double PerSecond(double rate, TimeSpan interval) => rate / interval.TotalSeconds;
}

/// <summary>Short texts for simulations, used in reports.</summary>
internal static class LoadSimulationText
{
    public static string Describe(LoadSimulation simulation) => simulation.Kind switch
    {
        LoadSimulationKind.Inject => $"inject {Number(simulation.Rate)}/{Span(simulation.Interval)} for {Span(simulation.During)}",
        LoadSimulationKind.RampingInject => $"ramping inject to {Number(simulation.Rate)}/{Span(simulation.Interval)} over {Span(simulation.During)}",
        LoadSimulationKind.InjectRandom => $"inject random {Number(simulation.MinRate)}-{Number(simulation.MaxRate)}/{Span(simulation.Interval)} for {Span(simulation.During)}",
        LoadSimulationKind.KeepConstant => $"keep constant {simulation.Copies} copies for {Span(simulation.During)}",
        LoadSimulationKind.RampingConstant => $"ramping constant to {simulation.Copies} copies over {Span(simulation.During)}",
        _ => $"pause {Span(simulation.During)}",
    };

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Span(TimeSpan span) => span.TotalSeconds >= 1 && span.Milliseconds == 0
        ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
