namespace Deliverability.Load;

/// <summary>
/// Finds the highest constant arrival rate at which a scenario's thresholds hold: steps the rate up until one
/// breaks, then bisects between the last rate that held and the first that broke until the gap is within the
/// tolerance. Bounded by a maximum rate, a maximum number of runs and a maximum total time.
/// </summary>
public static class CapacitySearch
{
    /// <summary>
    /// Searches with <paramref name="scenarioForRate"/> giving the scenario to run at each rate (per second); it
    /// should carry the thresholds, and its load simulations should hold that rate (for example
    /// <c>Simulation.Inject(rate, TimeSpan.FromSeconds(1), options.StepDuration)</c>).
    /// </summary>
    public static Task<CapacitySearchResult> RunAsync(Func<double, ScenarioProps> scenarioForRate,
        CapacitySearchOptions options, IEnumerable<IReportingSink>? sinks = null, CancellationToken cancellationToken = default) =>
        CapacitySearchRun.ExecuteAsync(scenarioForRate, options, sinks, cancellationToken);

    /// <summary>Searches with <paramref name="scenario"/> whose load is replaced at each rate by a constant injection for <see cref="CapacitySearchOptions.StepDuration"/>.</summary>
    public static Task<CapacitySearchResult> RunAsync(ScenarioProps scenario, CapacitySearchOptions options,
        IEnumerable<IReportingSink>? sinks = null, CancellationToken cancellationToken = default) =>
        RunAsync(rate => scenario.WithLoadSimulations(
                Simulation.Inject(rate, TimeSpan.FromSeconds(1), options.StepDuration)),
            options, sinks, cancellationToken);
}

/// <summary>How a capacity search steps and when it stops.</summary>
public sealed record CapacitySearchOptions
{
    /// <summary>The first rate tried, per second.</summary>
    public double StartRate { get; init; } = 10;

    /// <summary>Each step multiplies the rate by this (when <see cref="StepIncrement"/> is null).</summary>
    public double StepFactor { get; init; } = 1.5;

    /// <summary>When set, each step adds this to the rate instead of multiplying.</summary>
    public double? StepIncrement { get; init; }

    /// <summary>How long each rate runs (its warm-up comes on top, from the scenario).</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The search never tries a rate above this.</summary>
    public double MaxRate { get; init; } = 10_000;

    /// <summary>At most this many runs (step-up and bisection together).</summary>
    public int MaxSteps { get; init; } = 20;

    /// <summary>The whole search stops after this long (the run in progress is cut short).</summary>
    public TimeSpan MaxTotalDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Bisection stops when (broken - held) / held is at most this.</summary>
    public double Tolerance { get; init; } = 0.05;

    /// <summary>
    /// A rate also counts as broken when the achieved start rate is below this share of the target (the
    /// generator or the worker pool could not keep up); 0 turns the check off.
    /// </summary>
    public double MinAchievedRatio { get; init; } = 0.95;

    /// <summary>
    /// Whether a rate that breaks is run a second time before the search relies on it (the second run decides), so
    /// that a single stall of the machine does not lower the knee. Costs one run per broken rate.
    /// </summary>
    public bool ConfirmBreaks { get; init; } = true;

    /// <summary>Options of each run (its MaxDuration is cut to what is left of the search).</summary>
    public LoadRunOptions RunOptions { get; init; } = new();

    /// <summary>Problems that would stop the search, each a one-line message.</summary>
    public IReadOnlyList<string> Validate() => CapacitySearchRun.Validate(this);
}

/// <summary>Why a capacity search stopped.</summary>
public enum CapacitySearchStop
{
    /// <summary>The gap between held and broken is within the tolerance.</summary>
    Converged,
    /// <summary>Every rate up to the maximum held.</summary>
    MaxRateHeld,
    /// <summary>The start rate already broke: the capacity is below it.</summary>
    StartRateBroke,
    /// <summary>The maximum number of runs was used.</summary>
    MaxSteps,
    /// <summary>The maximum total time was used.</summary>
    MaxDuration,
    /// <summary>The caller cancelled.</summary>
    Cancelled,
}

/// <summary>The outcome of a capacity search.</summary>
public sealed record CapacitySearchResult
{
    /// <summary>The highest rate (per second) at which every threshold held, or null when none did.</summary>
    public double? KneeRate { get; init; }

    /// <summary>The lowest rate that broke, or null when none did.</summary>
    public double? FirstBrokenRate { get; init; }

    /// <summary>Why the search stopped.</summary>
    public required CapacitySearchStop Stop { get; init; }

    /// <summary>Each run in the order it ran.</summary>
    public required IReadOnlyList<CapacityPoint> Curve { get; init; }

    /// <summary>How long the search took.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>One rate tried by a capacity search.</summary>
public sealed record CapacityPoint
{
    /// <summary>The target rate, per second.</summary>
    public required double TargetRate { get; init; }

    /// <summary>Invocations started per second.</summary>
    public double AchievedRate { get; init; }

    /// <summary>Successful invocations per second.</summary>
    public double OkPerSecond { get; init; }

    /// <summary>99th percentile response time (from the planned start), ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>Failed / completed.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Planned starts dropped.</summary>
    public long DroppedStarts { get; init; }

    /// <summary>Whether the rate held (every threshold held and the achieved rate kept up).</summary>
    public required bool Held { get; init; }

    /// <summary>"step" (stepping up), "bisect", or "confirm" (the second run of a rate whose first run broke).</summary>
    public required string Phase { get; init; }

    /// <summary>The threshold verdicts of the run.</summary>
    public IReadOnlyList<ThresholdVerdict> Verdicts { get; init; } = [];

    /// <summary>Why the rate broke, when it did ("p99 &lt; 500ms breached: 812 ms", "achieved 151/s of 200/s").</summary>
    public string? BrokenBecause { get; init; }
}
