namespace Deliverability.Load;

/// <summary>
/// The result of a run: per scenario and per step the counts, rates and latencies, the time series, the threshold
/// verdicts and the encoded HDR histograms that let <see cref="Merge(RunReport[])"/> combine reports exactly.
/// Round-trips through <see cref="ToJson"/> and <see cref="FromJson"/>.
/// </summary>
public sealed record RunReport
{
    /// <summary>The JSON schema version this library writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The JSON schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The run's identifier (merged reports: the first report's, with "+merged").</summary>
    public required string RunId { get; init; }

    /// <summary>The test's name.</summary>
    public required string TestName { get; init; }

    /// <summary>The generators whose measurements are in the report.</summary>
    public IReadOnlyList<string> Generators { get; init; } = [];

    /// <summary>When measuring started (after warm-up), UTC.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended, UTC.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The measured window in seconds: rates are counts over it.</summary>
    public double DurationSeconds => Math.Max(0, (EndedAt - StartedAt).TotalSeconds);

    /// <summary>Why the run stopped.</summary>
    public StopReason StopReason { get; init; }

    /// <summary>When a threshold aborted the run: its scenario and expression ("smtp: p99 &lt; 500ms").</summary>
    public string? AbortedBy { get; init; }

    /// <summary>The seed of the run's random numbers.</summary>
    public int Seed { get; init; }

    /// <summary>The scenarios.</summary>
    public IReadOnlyList<ScenarioReport> Scenarios { get; init; } = [];

    /// <summary>
    /// When the report is the chosen run of a capacity search (the knee's, or the last one when no rate held): the
    /// search's result with the curve of every rate tried, so the report file carries it. Null for a plain run and a
    /// merged report.
    /// </summary>
    public CapacitySearchResult? Capacity { get; init; }

    /// <summary>Whether every threshold of every scenario held.</summary>
    public bool ThresholdsHeld => Scenarios.All(scenario => scenario.Thresholds.All(verdict => verdict.Held));

    /// <summary>The scenario named <paramref name="name"/>, or null.</summary>
    public ScenarioReport? FindScenario(string name) =>
        Scenarios.FirstOrDefault(scenario => string.Equals(scenario.Name, name, StringComparison.Ordinal));

    /// <summary>The report as JSON (camelCase, enums as strings, <c>schemaVersion</c> first).</summary>
    public string ToJson(bool indented = true) => RunReportJson.Serialize(this, indented);

    /// <summary>
    /// Reads a report written by <see cref="ToJson"/>. Throws <see cref="FormatException"/> with a one-line message
    /// when the text is not a report or its schema version is not <see cref="CurrentSchemaVersion"/>.
    /// </summary>
    public static RunReport FromJson(string json) => RunReportJson.Deserialize(json);

    /// <summary>
    /// The report of all <paramref name="reports"/> together, as if one generator had produced every measurement:
    /// histograms added, counts summed, rates over the union of the windows, time series aligned by wall-clock
    /// second, thresholds evaluated again. Scenarios and steps are matched by name.
    /// </summary>
    public static RunReport Merge(params RunReport[] reports) => RunReportMerge.Merge(reports);

    /// <summary>As <see cref="Merge(RunReport[])"/>.</summary>
    public static RunReport Merge(IEnumerable<RunReport> reports) => RunReportMerge.Merge([.. reports]);
}

/// <summary>One scenario's part of a report.</summary>
public sealed record ScenarioReport
{
    /// <summary>The scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>"open" (arrival rate) or "closed" (copies).</summary>
    public required string LoadModel { get; init; }

    /// <summary>The load simulations as text ("inject 100/1s for 30s").</summary>
    public IReadOnlyList<string> Simulations { get; init; } = [];

    /// <summary>Measuring start of this scenario, UTC.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Measuring end of this scenario, UTC.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The measured window in seconds.</summary>
    public double DurationSeconds => Math.Max(0, (EndedAt - StartedAt).TotalSeconds);

    /// <summary>Starts the plan made in the measured part (started + dropped).</summary>
    public long Planned { get; init; }

    /// <summary>Invocations started.</summary>
    public long Started { get; init; }

    /// <summary>Starts later than the tolerance after their plan (they ran; latency counts from the plan).</summary>
    public long LateStarts { get; init; }

    /// <summary>Planned starts not run because the backlog was full (k6's dropped_iterations).</summary>
    public long DroppedStarts { get; init; }

    /// <summary>Invocations cut off by the end of the run (not in the latency statistics).</summary>
    public long Interrupted { get; init; }

    /// <summary>Started per second over the window.</summary>
    public double StartRate { get; init; }

    /// <summary>The invocation-level statistics (the scenario function's response).</summary>
    public required StatsReport Stats { get; init; }

    /// <summary>Per step, in order of first use.</summary>
    public IReadOnlyList<StepReport> Steps { get; init; } = [];

    /// <summary>Per wall-clock second of the run.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; init; } = [];

    /// <summary>Threshold verdicts at the end.</summary>
    public IReadOnlyList<ThresholdVerdict> Thresholds { get; init; } = [];

    /// <summary>The most frequent failure messages (bounded).</summary>
    public IReadOnlyList<ErrorCount> TopErrors { get; init; } = [];

    /// <summary>The step named <paramref name="name"/>, or null.</summary>
    public StepReport? FindStep(string name) =>
        Steps.FirstOrDefault(step => string.Equals(step.Name, name, StringComparison.Ordinal));
}

/// <summary>One step's part of a report.</summary>
public sealed record StepReport
{
    /// <summary>The step's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its statistics.</summary>
    public required StatsReport Stats { get; init; }
}

/// <summary>Counts, rates and latencies of a scenario or a step.</summary>
public sealed record StatsReport
{
    /// <summary>Completed (ok + failed).</summary>
    public long Count { get; init; }

    /// <summary>Successful.</summary>
    public long Ok { get; init; }

    /// <summary>Failed.</summary>
    public long Failed { get; init; }

    /// <summary>Counts by outcome class (every class present, zeros included).</summary>
    public IReadOnlyDictionary<OutcomeClass, long> Outcomes { get; init; } = new Dictionary<OutcomeClass, long>();

    /// <summary>Counts by status code ("250", "429"; at most 100 distinct codes, the rest under "other").</summary>
    public IReadOnlyDictionary<string, long> StatusCodes { get; init; } = new Dictionary<string, long>();

    /// <summary>Bytes sent and received.</summary>
    public long Bytes { get; init; }

    /// <summary>Completed per second over the window.</summary>
    public double Rps { get; init; }

    /// <summary>Successful per second over the window.</summary>
    public double OkPerSecond { get; init; }

    /// <summary>Failed / completed (0 when none completed).</summary>
    public double ErrorRate { get; init; }

    /// <summary>Bytes per second over the window.</summary>
    public double BytesPerSecond { get; init; }

    /// <summary>From the planned start to the end (what a user of the send path waits).</summary>
    public required LatencyStats ResponseTime { get; init; }

    /// <summary>From the actual start to the end (what the server took).</summary>
    public required LatencyStats ServiceTime { get; init; }
}

/// <summary>A latency distribution in milliseconds, with its HDR histogram (microsecond resolution) encoded.</summary>
public sealed record LatencyStats
{
    /// <summary>Recorded values.</summary>
    public long Count { get; init; }

    /// <summary>Median.</summary>
    public double P50Ms { get; init; }

    /// <summary>75th percentile.</summary>
    public double P75Ms { get; init; }

    /// <summary>90th percentile.</summary>
    public double P90Ms { get; init; }

    /// <summary>95th percentile.</summary>
    public double P95Ms { get; init; }

    /// <summary>99th percentile.</summary>
    public double P99Ms { get; init; }

    /// <summary>99.9th percentile.</summary>
    public double P999Ms { get; init; }

    /// <summary>Highest value.</summary>
    public double MaxMs { get; init; }

    /// <summary>Lowest value.</summary>
    public double MinMs { get; init; }

    /// <summary>Mean.</summary>
    public double MeanMs { get; init; }

    /// <summary>Standard deviation.</summary>
    public double StdDevMs { get; init; }

    /// <summary>The HDR histogram of microseconds, compressed and base64-encoded (HdrHistogram's V2 encoding).</summary>
    public string Histogram { get; init; } = "";

    /// <summary>Any percentile (0-100), read from the histogram, ms.</summary>
    public double ValueAtPercentileMs(double percentile) => LatencyHistogram.ValueAtPercentileMs(Histogram, percentile);
}

/// <summary>One wall-clock second of a scenario.</summary>
public sealed record TimeSeriesPoint
{
    /// <summary>The second (UTC, whole second).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Invocations started in it.</summary>
    public long Started { get; init; }

    /// <summary>Invocations completed in it.</summary>
    public long Completed { get; init; }

    /// <summary>Failed invocations completed in it.</summary>
    public long Errors { get; init; }

    /// <summary>Planned starts dropped in it.</summary>
    public long Dropped { get; init; }

    /// <summary>Median response time of the completions in it, ms.</summary>
    public double P50Ms { get; init; }

    /// <summary>99th percentile response time of the completions in it, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>The second's response-time histogram, encoded, so merged series stay exact.</summary>
    public string Histogram { get; init; } = "";
}

/// <summary>A failure message and how often it came.</summary>
public sealed record ErrorCount
{
    /// <summary>The step, or null for the invocation's own response.</summary>
    public string? Step { get; init; }

    /// <summary>The outcome class.</summary>
    public required OutcomeClass Outcome { get; init; }

    /// <summary>The status code, if any.</summary>
    public string? StatusCode { get; init; }

    /// <summary>The message.</summary>
    public required string Message { get; init; }

    /// <summary>How often.</summary>
    public required long Count { get; init; }
}
