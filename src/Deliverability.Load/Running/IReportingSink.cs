namespace Deliverability.Load;

/// <summary>
/// Receives statistics while a run goes (every <see cref="LoadRunOptions.ReportingInterval"/>) and at its end: the
/// live console, the database, metrics. Calls come one at a time, never concurrently for one sink.
/// </summary>
public interface IReportingSink
{
    /// <summary>The run starts.</summary>
    Task StartAsync(RunStartInfo run, CancellationToken cancellationToken);

    /// <summary>The statistics so far and of the last interval.</summary>
    Task SaveRealtimeStatsAsync(RealtimeStats stats, CancellationToken cancellationToken);

    /// <summary>The final report.</summary>
    Task SaveFinalStatsAsync(RunReport report, CancellationToken cancellationToken);
}

/// <summary>What a sink learns when the run starts.</summary>
public sealed record RunStartInfo(
    string RunId, string TestName, string Generator, DateTimeOffset StartedAt, IReadOnlyList<string> Scenarios,
    TimeSpan MaxDuration);

/// <summary>A realtime snapshot of the run.</summary>
public sealed record RealtimeStats
{
    /// <summary>The run's identifier.</summary>
    public required string RunId { get; init; }

    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Time since the run started (warm-up included).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>One entry per scenario.</summary>
    public required IReadOnlyList<ScenarioRealtimeStats> Scenarios { get; init; }
}

/// <summary>A scenario's realtime numbers. Counts are cumulative over the measured part; <see cref="IntervalRps"/> covers the last reporting interval.</summary>
public sealed record ScenarioRealtimeStats
{
    /// <summary>The scenario's name.</summary>
    public required string Scenario { get; init; }

    /// <summary>Whether the scenario is still warming up (its numbers will be discarded).</summary>
    public required bool WarmingUp { get; init; }

    /// <summary>The plan's arrival rate now (open model), per second.</summary>
    public double TargetRate { get; init; }

    /// <summary>The plan's copies now (closed model).</summary>
    public int TargetCopies { get; init; }

    /// <summary>Invocations running now.</summary>
    public int Active { get; init; }

    /// <summary>Planned starts waiting for a worker now.</summary>
    public int Backlog { get; init; }

    /// <summary>Invocations started.</summary>
    public long Started { get; init; }

    /// <summary>Invocations completed.</summary>
    public long Completed { get; init; }

    /// <summary>Successful invocations.</summary>
    public long Ok { get; init; }

    /// <summary>Failed invocations.</summary>
    public long Failed { get; init; }

    /// <summary>Starts later than the tolerance.</summary>
    public long LateStarts { get; init; }

    /// <summary>Planned starts dropped because the backlog was full.</summary>
    public long DroppedStarts { get; init; }

    /// <summary>Completions per second over the last interval.</summary>
    public double IntervalRps { get; init; }

    /// <summary>Median response time of the latest complete wall-clock second (about two seconds ago), ms.</summary>
    public double IntervalP50Ms { get; init; }

    /// <summary>99th percentile response time of the latest complete wall-clock second (about two seconds ago), ms.</summary>
    public double IntervalP99Ms { get; init; }

    /// <summary>99th percentile response time so far, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>Failed / completed so far.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Counts by outcome class so far.</summary>
    public IReadOnlyDictionary<OutcomeClass, long> Outcomes { get; init; } = new Dictionary<OutcomeClass, long>();

    /// <summary>The thresholds evaluated on the numbers so far.</summary>
    public IReadOnlyList<ThresholdVerdict> Thresholds { get; init; } = [];
}
