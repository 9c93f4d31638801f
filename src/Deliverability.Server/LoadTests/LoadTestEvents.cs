using Deliverability.Core.LoadTests;

namespace Deliverability.Server.LoadTests;

/// <summary>Published on <c>LiveFeed&lt;LoadTestRunChanged&gt;</c> when a run starts, ends or is imported: lists reload on it.</summary>
public sealed record LoadTestRunChanged(Guid RunId, string Scenario, LoadTestRunStatus Status);

/// <summary>
/// Published on <c>LiveFeed&lt;LoadTestProgress&gt;</c> about once a second while a run goes: the numbers of its
/// scenario so far (counts and p99 cumulative over the measured part, the rate over the last interval).
/// </summary>
/// <param name="Step">The run within a capacity search (1, 2, ...); 1 for a plain run.</param>
public sealed record LoadTestProgress(
    Guid RunId,
    string Scenario,
    DateTimeOffset At,
    TimeSpan Elapsed,
    int Step,
    bool WarmingUp,
    double TargetRate,
    double IntervalRps,
    long Started,
    long Completed,
    long Failed,
    long Dropped,
    double P99Ms,
    double ErrorRate);
