using HdrHistogram;
using Deliverability.Load.Running;

namespace Deliverability.Load;

/// <summary>
/// Builds report parts from counts and histograms. A run and a merge both go through <see cref="Stats"/>, so
/// merging the reports of N generators gives exactly the report one generator would have written.
/// </summary>
internal static class ReportBuilder
{
    public const int MaxTopErrors = 20;

    public static StatsReport Stats(long ok, long failed, IReadOnlyDictionary<OutcomeClass, long> outcomes,
        IReadOnlyDictionary<string, long> statusCodes, long bytes, HistogramBase responseTime, HistogramBase serviceTime,
        double seconds)
    {
        var count = ok + failed;
        return new StatsReport
        {
            Count = count,
            Ok = ok,
            Failed = failed,
            Outcomes = OutcomeClasses.All.ToDictionary(outcome => outcome, outcome => outcomes.GetValueOrDefault(outcome)),
            StatusCodes = statusCodes.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            Bytes = bytes,
            Rps = PerSecond(count, seconds),
            OkPerSecond = PerSecond(ok, seconds),
            ErrorRate = count == 0 ? 0 : failed / (double)count,
            BytesPerSecond = PerSecond(bytes, seconds),
            ResponseTime = LatencyHistogram.Summarise(responseTime),
            ServiceTime = LatencyHistogram.Summarise(serviceTime),
        };
    }

    /// <summary>A scenario's report from its live statistics, measured up to <paramref name="endTimestamp"/>.</summary>
    public static ScenarioReport Scenario(ScenarioStats stats, string loadModel, IReadOnlyList<string> simulations,
        long endTimestamp, IEnumerable<Threshold> thresholds, string? abortedBy)
    {
        endTimestamp = Math.Max(endTimestamp, stats.MeasureStartTimestamp);
        stats.Series.CloseUpTo(stats.UnixSecond(endTimestamp));
        var startedAt = stats.MeasureStartTime;
        var endedAt = stats.TimeOf(endTimestamp);
        var seconds = Math.Max(0, (endedAt - startedAt).TotalSeconds);
        var steps = stats.Steps;
        var report = new ScenarioReport
        {
            Name = stats.Name,
            LoadModel = loadModel,
            Simulations = simulations,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Planned = stats.Started + stats.DroppedStarts,
            Started = stats.Started,
            LateStarts = stats.LateStarts,
            DroppedStarts = stats.DroppedStarts,
            Interrupted = stats.Interrupted,
            StartRate = PerSecond(stats.Started, seconds),
            Stats = Stats(stats.Invocations, seconds),
            Steps = [.. steps.Select(step => new StepReport { Name = step.StepName!, Stats = Stats(step, seconds) })],
            TimeSeries = stats.Series.Points,
            TopErrors = TopErrors(stats.Invocations.Errors().Concat(steps.SelectMany(step => step.Errors()))),
        };
        return report with
        {
            Thresholds = [.. Verdicts(thresholds, report).Select(verdict =>
                verdict with { AbortedRun = abortedBy == $"{report.Name}: {verdict.Expression}" })],
        };
    }

    public static StatsReport Stats(MeasureStats stats, double seconds) => Stats(stats.Ok, stats.Failed, stats.Outcomes(),
        stats.StatusCodes(), stats.Bytes, stats.ResponseTime, stats.ServiceTime, seconds);

    public static double PerSecond(long count, double seconds) => seconds <= 0 ? 0 : count / seconds;

    public static IReadOnlyList<ErrorCount> TopErrors(IEnumerable<ErrorCount> errors) =>
        [.. errors
            .GroupBy(error => (error.Step, error.Outcome, error.StatusCode, error.Message))
            .Select(group => group.First() with { Count = group.Sum(error => error.Count) })
            .OrderByDescending(error => error.Count)
            .ThenBy(error => error.Step, StringComparer.Ordinal)
            .ThenBy(error => error.Message, StringComparer.Ordinal)
            .Take(MaxTopErrors)];

    public static IReadOnlyList<ThresholdVerdict> Verdicts(IEnumerable<Threshold> thresholds, ScenarioReport scenario) =>
        [.. thresholds.Select(threshold => ThresholdEvaluator.Evaluate(threshold, scenario.Name, step => ReportSubject.For(scenario, step)))];
}

/// <summary>A finished report as a threshold subject.</summary>
internal sealed class ReportSubject(ScenarioReport scenario, StatsReport stats) : IThresholdSubject
{
    private LongHistogram? _response;
    private LongHistogram? _service;

    public static IThresholdSubject? For(ScenarioReport scenario, string? step)
    {
        if (step is null)
        {
            return new ReportSubject(scenario, scenario.Stats);
        }

        var found = scenario.FindStep(step);
        return found is null ? null : new ReportSubject(scenario, found.Stats);
    }

    public long Count => stats.Count;
    public long Ok => stats.Ok;
    public long Failed => stats.Failed;
    public long Started => scenario.Started;
    public long LateStarts => scenario.LateStarts;
    public long DroppedStarts => scenario.DroppedStarts;
    public double Seconds => scenario.DurationSeconds;
    public double MeanMs => stats.ResponseTime.MeanMs;
    public double MaxMs => stats.ResponseTime.MaxMs;

    public double ResponsePercentileMs(double percentile) =>
        LatencyHistogram.ValueAtPercentileMs(_response ??= LatencyHistogram.Decode(stats.ResponseTime.Histogram), percentile);

    public double ServicePercentileMs(double percentile) =>
        LatencyHistogram.ValueAtPercentileMs(_service ??= LatencyHistogram.Decode(stats.ServiceTime.Histogram), percentile);
}

/// <summary>Live statistics as a threshold subject (the run's abortOnFail checks).</summary>
internal sealed class LiveSubject(ScenarioStats scenario, MeasureStats stats, double seconds) : IThresholdSubject
{
    public static IThresholdSubject? For(ScenarioStats scenario, string? step, double seconds)
    {
        if (step is null)
        {
            return new LiveSubject(scenario, scenario.Invocations, seconds);
        }

        var found = scenario.Steps.FirstOrDefault(candidate => candidate.StepName == step);
        return found is null ? null : new LiveSubject(scenario, found, seconds);
    }

    public long Count => stats.Count;
    public long Ok => stats.Ok;
    public long Failed => stats.Failed;
    public long Started => scenario.Started;
    public long LateStarts => scenario.LateStarts;
    public long DroppedStarts => scenario.DroppedStarts;
    public double Seconds => seconds;
    public double MeanMs => stats.ResponseTime.TotalCount == 0 ? 0 : stats.ResponseTime.GetMean() / 1000.0;
    public double MaxMs => stats.ResponseTime.TotalCount == 0 ? 0 : stats.ResponseTime.GetMaxValue() / 1000.0;
    public double ResponsePercentileMs(double percentile) => LatencyHistogram.ValueAtPercentileMs(stats.ResponseTime, percentile);
    public double ServicePercentileMs(double percentile) => LatencyHistogram.ValueAtPercentileMs(stats.ServiceTime, percentile);
}
