using Deliverability.Core.LoadTests;
using Deliverability.Load;

namespace Deliverability.Server.Tests.LoadTests;

/// <summary>Runs and reports as the engine and the runner write them, for the tests of the store, the API and the pages.</summary>
internal static class LoadTestSamples
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A finished run's row, as the runner or an import stores it.</summary>
    public static LoadTestRunRow Run(
        string scenario, string? sendPath, DateTimeOffset startedAt, LoadTestRunStatus status = LoadTestRunStatus.Completed,
        double? knee = null, double achieved = 100, bool? held = true, string? reportJson = null, string node = "elsewhere") => new()
    {
        Id = Guid.NewGuid(),
        Scenario = scenario,
        Kind = "smtp",
        SendPath = sendPath,
        Origin = "service",
        StartedBy = "olga",
        Node = node,
        StartedAt = startedAt,
        EndedAt = status == LoadTestRunStatus.Running ? null : startedAt.AddMinutes(2),
        Status = status,
        StopReason = status == LoadTestRunStatus.Running ? null : "Completed",
        ThresholdsHeld = status == LoadTestRunStatus.Running ? null : held,
        KneeRate = knee,
        AchievedRate = achieved,
        P99Ms = 42.5,
        ErrorRate = 0.01,
        Completed = 12_000,
        ReportJson = reportJson,
    };

    /// <summary>
    /// A report of one SMTP scenario with two steps, outcomes, status codes and two thresholds (one breached), built the
    /// way the engine fills it in (histograms left empty: they are only read to merge or to find other percentiles).
    /// </summary>
    public static RunReport Report(string testName = "smtp-submission", DateTimeOffset? startedAt = null, double p99 = 180)
    {
        var start = startedAt ?? Monday;
        var end = start.AddSeconds(30);
        return new RunReport
        {
            RunId = Guid.NewGuid().ToString("N"),
            TestName = testName,
            Generators = ["gen-1"],
            StartedAt = start,
            EndedAt = end,
            StopReason = StopReason.Completed,
            Seed = 7,
            Scenarios =
            [
                new ScenarioReport
                {
                    Name = "smtp_submission",
                    LoadModel = "open",
                    Simulations = ["inject 100/1s for 30s"],
                    StartedAt = start,
                    EndedAt = end,
                    Planned = 3000,
                    Started = 3000,
                    LateStarts = 12,
                    StartRate = 100,
                    Stats = Stats(3000, 2970, p99, new Dictionary<OutcomeClass, long> { [OutcomeClass.SmtpAccepted] = 2970, [OutcomeClass.SmtpDeferred] = 30 }, new Dictionary<string, long> { ["250"] = 2970, ["451"] = 30 }),
                    Steps =
                    [
                        new StepReport { Name = "connect", Stats = Stats(3000, 3000, 12, new Dictionary<OutcomeClass, long> { [OutcomeClass.SmtpAccepted] = 3000 }, new Dictionary<string, long> { ["220"] = 3000 }) },
                        new StepReport { Name = "data", Stats = Stats(3000, 2970, p99 - 10, new Dictionary<OutcomeClass, long> { [OutcomeClass.SmtpAccepted] = 2970, [OutcomeClass.SmtpDeferred] = 30 }, new Dictionary<string, long> { ["250"] = 2970, ["451"] = 30 }) },
                    ],
                    TimeSeries = [.. Enumerable.Range(0, 30).Select(i => new TimeSeriesPoint { Time = start.AddSeconds(i), Started = 100, Completed = 100, Errors = 1, P50Ms = 40, P99Ms = p99 })],
                    Thresholds =
                    [
                        new ThresholdVerdict { Expression = "p99 < 500ms", Scenario = "smtp_submission", Held = p99 < 500, Observed = p99, Limit = 500, Unit = "ms" },
                        new ThresholdVerdict { Expression = "error_rate < 0.5%", Scenario = "smtp_submission", Held = false, Observed = 0.01, Limit = 0.005, Unit = "ratio" },
                    ],
                    TopErrors = [new ErrorCount { Step = "data", Outcome = OutcomeClass.SmtpDeferred, StatusCode = "451", Message = "4.3.0 try again later", Count = 30 }],
                },
            ],
        };
    }

    private static StatsReport Stats(long count, long ok, double p99, Dictionary<OutcomeClass, long> outcomes, Dictionary<string, long> codes) => new()
    {
        Count = count,
        Ok = ok,
        Failed = count - ok,
        Outcomes = outcomes,
        StatusCodes = codes,
        Bytes = count * 2048,
        Rps = count / 30.0,
        OkPerSecond = ok / 30.0,
        ErrorRate = (double)(count - ok) / count,
        BytesPerSecond = count * 2048 / 30.0,
        ResponseTime = new LatencyStats { Count = count, P50Ms = 40, P75Ms = 60, P90Ms = 90, P95Ms = 120, P99Ms = p99, P999Ms = p99 * 1.5, MaxMs = p99 * 2, MinMs = 5, MeanMs = 50, StdDevMs = 20 },
        ServiceTime = new LatencyStats { Count = count, P50Ms = 35, P75Ms = 55, P90Ms = 80, P95Ms = 100, P99Ms = p99 - 20, P999Ms = p99, MaxMs = p99 * 2, MinMs = 4, MeanMs = 45, StdDevMs = 18 },
    };
}
