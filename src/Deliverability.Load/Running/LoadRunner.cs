namespace Deliverability.Load;

/// <summary>Runs scenarios side by side and returns the report. Every run is bounded and stops by itself.</summary>
public static class LoadRunner
{
    /// <summary>
    /// Runs <paramref name="scenarios"/> concurrently until their load simulations end, the run's maximum duration or
    /// invocation count is reached, a threshold with abortOnFail breaches, or <paramref name="cancellationToken"/>
    /// fires. Throws <see cref="LoadConfigurationException"/> (one-line message) before starting when a scenario or
    /// the options are invalid. A failing sink is logged and never stops the run.
    /// </summary>
    public static Task<RunReport> RunAsync(IEnumerable<ScenarioProps> scenarios, LoadRunOptions? options = null,
        IEnumerable<IReportingSink>? sinks = null, CancellationToken cancellationToken = default) =>
        Running.LoadRun.ExecuteAsync(scenarios, options ?? new LoadRunOptions(), sinks, cancellationToken);

    /// <summary>Runs one scenario.</summary>
    public static Task<RunReport> RunAsync(ScenarioProps scenario, LoadRunOptions? options = null,
        IEnumerable<IReportingSink>? sinks = null, CancellationToken cancellationToken = default) =>
        RunAsync([scenario], options, sinks, cancellationToken);
}

/// <summary>Bounds and settings of one run.</summary>
public sealed record LoadRunOptions
{
    /// <summary>The hard upper bound of the run (warm-up included); the run stops at it whatever the simulations say.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stop starting invocations after this many (all scenarios together, warm-up included); null: no bound.</summary>
    public long? MaxInvocations { get; init; }

    /// <summary>How often sinks receive realtime statistics and abortOnFail thresholds are checked.</summary>
    public TimeSpan ReportingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A start later than this after its plan is counted as a late start.</summary>
    public TimeSpan LateStartTolerance { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>At the end, in-flight invocations get this long to finish before they are cancelled (counted as interrupted).</summary>
    public TimeSpan GracefulStopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seeds every Random of the run (InjectRandom rates, contexts); null: a random seed, written in the report.</summary>
    public int? Seed { get; init; }

    /// <summary>A name for the run (the test name in reports).</summary>
    public string TestName { get; init; } = "load test";

    /// <summary>The run's identifier; null: a new one.</summary>
    public string? RunId { get; init; }

    /// <summary>Which generator produced the report (machine name by default); merged reports list them all.</summary>
    public string? GeneratorName { get; init; }

    /// <summary>The logger given to scenarios and used for sink failures.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Problems that would stop a run, each a one-line message.</summary>
    public IReadOnlyList<string> Validate() => Running.LoadRunValidation.Validate(this);
}

/// <summary>Why a run stopped.</summary>
public enum StopReason
{
    /// <summary>Every load simulation ran to its end.</summary>
    Completed,
    /// <summary>The run reached <see cref="LoadRunOptions.MaxDuration"/>.</summary>
    MaxDuration,
    /// <summary>The run reached <see cref="LoadRunOptions.MaxInvocations"/>.</summary>
    MaxInvocations,
    /// <summary>A threshold with abortOnFail breached.</summary>
    ThresholdAbort,
    /// <summary>The caller cancelled the run.</summary>
    Cancelled,
}

/// <summary>A scenario or the options cannot run; the message is one line naming the problem.</summary>
public sealed class LoadConfigurationException(string message) : Exception(message);
