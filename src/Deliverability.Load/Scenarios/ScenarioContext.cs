using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Deliverability.Load;

/// <summary>
/// What an invocation knows about itself. One context per worker, reused from invocation to invocation (so the
/// engine allocates nothing per invocation): do not keep it beyond the invocation.
/// </summary>
public sealed class ScenarioContext
{
    internal ScenarioContext(string scenarioName, int workerNumber, int workerCount, Random random, ILogger logger,
        IReadOnlyDictionary<string, object?> scenarioData, long runStartTimestamp, DateTimeOffset runStartTime)
    {
        ScenarioName = scenarioName;
        WorkerNumber = workerNumber;
        WorkerCount = workerCount;
        Random = random;
        Logger = logger;
        ScenarioData = scenarioData;
        RunStartTimestamp = runStartTimestamp;
        RunStartTime = runStartTime;
    }

    /// <summary>The scenario's name.</summary>
    public string ScenarioName { get; }

    /// <summary>The invocation's number within the scenario, from 0, warm-up included.</summary>
    public long InvocationNumber { get; internal set; }

    /// <summary>This worker's number, 0 to <see cref="WorkerCount"/> - 1: key per-worker resources on it.</summary>
    public int WorkerNumber { get; }

    /// <summary>How many workers the scenario has (max concurrency in the open model, max copies in the closed one).</summary>
    public int WorkerCount { get; }

    /// <summary>
    /// State this worker keeps between invocations, for example its SMTP connection for reuse. Disposed
    /// (IAsyncDisposable or IDisposable) after the scenario's clean step.
    /// </summary>
    public object? WorkerState { get; set; }

    /// <summary>This worker's random numbers, seeded from the run's seed and the worker number (not thread-safe; it need not be).</summary>
    public Random Random { get; }

    /// <summary>Cancelled when the run stops or the invocation times out.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The run's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>What the scenario's init step put in <see cref="ScenarioInitContext.Data"/>.</summary>
    public IReadOnlyDictionary<string, object?> ScenarioData { get; }

    /// <summary>When the schedule planned this invocation to start (<see cref="Stopwatch.GetTimestamp"/> ticks).</summary>
    public long PlannedStartTimestamp { get; internal set; }

    /// <summary>When the schedule planned this invocation to start (UTC).</summary>
    public DateTimeOffset PlannedStart => RunStartTime + Stopwatch.GetElapsedTime(RunStartTimestamp, PlannedStartTimestamp);

    /// <summary>When this invocation actually started (<see cref="Stopwatch.GetTimestamp"/> ticks).</summary>
    public long StartTimestamp { get; internal set; }

    /// <summary>How much later than planned the invocation started (zero in the closed model).</summary>
    public TimeSpan StartDelay => Stopwatch.GetElapsedTime(PlannedStartTimestamp, StartTimestamp);

    internal long RunStartTimestamp { get; set; }

    internal DateTimeOffset RunStartTime { get; set; }

    // The engine's per-invocation bookkeeping for Step.Run: whether a step already took the start delay.
    internal bool StartDelayAttributed { get; set; }

    internal Running.ScenarioStats? Stats { get; set; }

    // The run's own stop (not an invocation timeout): Step.Run lets this cancellation through.
    internal CancellationToken RunCancellationToken { get; set; }
}

/// <summary>What a scenario's init and clean steps receive.</summary>
public sealed class ScenarioInitContext
{
    internal ScenarioInitContext(string scenarioName, int workerCount, ILogger logger, Random random,
        CancellationToken cancellationToken)
    {
        ScenarioName = scenarioName;
        WorkerCount = workerCount;
        Logger = logger;
        Random = random;
        CancellationToken = cancellationToken;
    }

    /// <summary>The scenario's name.</summary>
    public string ScenarioName { get; }

    /// <summary>How many workers will run (or ran) invocations.</summary>
    public int WorkerCount { get; }

    /// <summary>The run's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Random numbers seeded from the run's seed.</summary>
    public Random Random { get; }

    /// <summary>Cancelled when the run is cancelled or reaches its max duration.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Shared data for the invocations (read through <see cref="ScenarioContext.ScenarioData"/>).</summary>
    public Dictionary<string, object?> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>In the clean step: each worker's <see cref="ScenarioContext.WorkerState"/> (null entries included).</summary>
    public IReadOnlyList<object?> WorkerStates { get; internal set; } = [];
}
