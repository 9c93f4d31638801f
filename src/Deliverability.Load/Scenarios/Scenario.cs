namespace Deliverability.Load;

/// <summary>Creates scenarios, as in NBomber: <c>Scenario.Create("name", async context => ...)</c>.</summary>
public static class Scenario
{
    /// <summary>
    /// A scenario named <paramref name="name"/> whose invocation is <paramref name="run"/>. Inside it, time each
    /// phase with <see cref="Step.Run(string, ScenarioContext, Func{Task{Response}})"/>; its return value is the
    /// invocation's outcome.
    /// </summary>
    public static ScenarioProps Create(string name, Func<ScenarioContext, Task<Response>> run) => new(name, run);
}

/// <summary>
/// An immutable scenario definition. Every <c>With...</c> returns a changed copy, so one definition can be the
/// base of several runs (a capacity search does that).
/// </summary>
public sealed record ScenarioProps
{
    /// <summary>The default bound of the open model's worker pool.</summary>
    public const int DefaultMaxConcurrency = 100;

    internal ScenarioProps(string name, Func<ScenarioContext, Task<Response>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        Name = name;
        Run = run;
    }

    /// <summary>The scenario's name: unique within a run, used in reports and thresholds.</summary>
    public string Name { get; init; }

    /// <summary>One invocation.</summary>
    public Func<ScenarioContext, Task<Response>> Run { get; init; }

    /// <summary>Runs once before the load starts (open shared resources, fill <see cref="ScenarioInitContext.Data"/>).</summary>
    public Func<ScenarioInitContext, Task>? Init { get; init; }

    /// <summary>Runs once after the load stopped; per-worker states are disposed after it.</summary>
    public Func<ScenarioInitContext, Task>? Clean { get; init; }

    /// <summary>How long the load simulations run before measuring starts; those statistics are discarded.</summary>
    public TimeSpan WarmUpDuration { get; init; } = TimeSpan.Zero;

    /// <summary>The load, phase after phase. All open (Inject*) or all closed (*Constant), with pauses in either.</summary>
    public IReadOnlyList<LoadSimulation> LoadSimulations { get; init; } =
        [Simulation.Inject(rate: 1, interval: TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(10))];

    /// <summary>The open model's worker pool (concurrent invocations at most).</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>
    /// Planned starts allowed to wait for a free worker; beyond it starts are dropped. Null: the larger of
    /// <see cref="MaxConcurrency"/> and one second of the current rate.
    /// </summary>
    public int? MaxBacklog { get; init; }

    /// <summary>An invocation still running after this is cancelled and counted as <see cref="OutcomeClass.Timeout"/>.</summary>
    public TimeSpan? InvocationTimeout { get; init; }

    /// <summary>Checked while running and at the end.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>Sets <see cref="Init"/>.</summary>
    public ScenarioProps WithInit(Func<ScenarioInitContext, Task> init) => this with { Init = init };

    /// <summary>Sets <see cref="Clean"/>.</summary>
    public ScenarioProps WithClean(Func<ScenarioInitContext, Task> clean) => this with { Clean = clean };

    /// <summary>Sets <see cref="WarmUpDuration"/>.</summary>
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };

    /// <summary>Measures from the first invocation (the default).</summary>
    public ScenarioProps WithoutWarmUp() => this with { WarmUpDuration = TimeSpan.Zero };

    /// <summary>Sets <see cref="LoadSimulations"/>.</summary>
    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) =>
        this with { LoadSimulations = [.. simulations] };

    /// <summary>Sets <see cref="MaxConcurrency"/>.</summary>
    public ScenarioProps WithMaxConcurrency(int maxConcurrency) => this with { MaxConcurrency = maxConcurrency };

    /// <summary>Sets <see cref="MaxBacklog"/>.</summary>
    public ScenarioProps WithMaxBacklog(int maxBacklog) => this with { MaxBacklog = maxBacklog };

    /// <summary>Sets <see cref="InvocationTimeout"/>.</summary>
    public ScenarioProps WithInvocationTimeout(TimeSpan timeout) => this with { InvocationTimeout = timeout };

    /// <summary>Sets <see cref="Thresholds"/>.</summary>
    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = [.. thresholds] };

    /// <summary>Parses each text (<c>"p99 &lt; 500ms"</c>) with <see cref="Threshold.Parse"/> and sets <see cref="Thresholds"/>.</summary>
    public ScenarioProps WithThresholds(params string[] thresholds) =>
        this with { Thresholds = [.. thresholds.Select(text => Threshold.Parse(text))] };

    /// <summary>Problems that would stop a run, each a one-line message; empty when the scenario can run.</summary>
    public IReadOnlyList<string> Validate() => ScenarioValidation.Validate(this);
}
