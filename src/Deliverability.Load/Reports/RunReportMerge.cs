using HdrHistogram;

namespace Deliverability.Load;

/// <summary>
/// Combines reports exactly: histograms added, counts summed, rates recomputed over the union window, time series
/// summed per wall-clock second, thresholds evaluated again on the combined numbers.
/// </summary>
internal static class RunReportMerge
{
    public static RunReport Merge(RunReport[] reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Length == 0 || reports.Any(report => report is null))
        {
            throw new ArgumentException("give at least one report, none of them null", nameof(reports));
        }

        if (reports.Any(report => report.SchemaVersion != RunReport.CurrentSchemaVersion))
        {
            throw new ArgumentException($"every report must have schema version {RunReport.CurrentSchemaVersion}", nameof(reports));
        }

        if (reports.Length == 1)
        {
            return reports[0];
        }

        var first = reports[0];
        var names = reports.SelectMany(report => report.Scenarios).Select(scenario => scenario.Name).Distinct(StringComparer.Ordinal);
        var scenarios = names
            .Select(name => MergeScenario([.. reports.Select(report => report.FindScenario(name)).OfType<ScenarioReport>()]))
            .ToList();
        var abort = reports.FirstOrDefault(report => report.StopReason == StopReason.ThresholdAbort);
        return new RunReport
        {
            RunId = first.RunId + "+merged",
            TestName = first.TestName,
            Generators = [.. reports.SelectMany(report => report.Generators).Distinct(StringComparer.Ordinal)],
            StartedAt = reports.Min(report => report.StartedAt),
            EndedAt = reports.Max(report => report.EndedAt),
            StopReason = reports.Select(report => report.StopReason).FirstOrDefault(reason => reason != StopReason.Completed, StopReason.Completed),
            AbortedBy = abort?.AbortedBy,
            Seed = first.Seed,
            Scenarios = scenarios,
        };
    }

    private static ScenarioReport MergeScenario(ScenarioReport[] parts)
    {
        var first = parts[0];
        var startedAt = parts.Min(part => part.StartedAt);
        var endedAt = parts.Max(part => part.EndedAt);
        var seconds = Math.Max(0, (endedAt - startedAt).TotalSeconds);
        var started = parts.Sum(part => part.Started);
        var stepNames = parts.SelectMany(part => part.Steps).Select(step => step.Name).Distinct(StringComparer.Ordinal);
        var merged = new ScenarioReport
        {
            Name = first.Name,
            LoadModel = first.LoadModel,
            Simulations = first.Simulations,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Planned = parts.Sum(part => part.Planned),
            Started = started,
            LateStarts = parts.Sum(part => part.LateStarts),
            DroppedStarts = parts.Sum(part => part.DroppedStarts),
            Interrupted = parts.Sum(part => part.Interrupted),
            StartRate = ReportBuilder.PerSecond(started, seconds),
            Stats = MergeStats([.. parts.Select(part => part.Stats)], seconds),
            Steps = [.. stepNames.Select(name => new StepReport
            {
                Name = name,
                Stats = MergeStats([.. parts.Select(part => part.FindStep(name)?.Stats).OfType<StatsReport>()], seconds),
            })],
            TimeSeries = MergeSeries(parts),
            TopErrors = ReportBuilder.TopErrors(parts.SelectMany(part => part.TopErrors)),
        };
        var thresholds = parts.SelectMany(part => part.Thresholds)
            .DistinctBy(verdict => verdict.Expression, StringComparer.Ordinal)
            .Select(verdict => Threshold.Parse(verdict.Expression, verdict.AbortOnFail));
        var aborted = parts.SelectMany(part => part.Thresholds).Where(verdict => verdict.AbortedRun)
            .Select(verdict => verdict.Expression).ToHashSet(StringComparer.Ordinal);
        return merged with
        {
            Thresholds = [.. ReportBuilder.Verdicts(thresholds, merged).Select(verdict =>
                verdict with { AbortedRun = aborted.Contains(verdict.Expression) })],
        };
    }

    private static StatsReport MergeStats(StatsReport[] parts, double seconds)
    {
        var outcomes = new Dictionary<OutcomeClass, long>();
        var statusCodes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (outcome, count) in part.Outcomes)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + count;
            }

            foreach (var (code, count) in part.StatusCodes)
            {
                statusCodes[code] = statusCodes.GetValueOrDefault(code) + count;
            }
        }

        return ReportBuilder.Stats(parts.Sum(part => part.Ok), parts.Sum(part => part.Failed), outcomes, statusCodes,
            parts.Sum(part => part.Bytes), Add(parts.Select(part => part.ResponseTime.Histogram)),
            Add(parts.Select(part => part.ServiceTime.Histogram)), seconds);
    }

    private static IReadOnlyList<TimeSeriesPoint> MergeSeries(ScenarioReport[] parts) =>
        [.. parts.SelectMany(part => part.TimeSeries)
            .GroupBy(point => point.Time)
            .OrderBy(group => group.Key)
            .Select(group =>
            {
                var histogram = Add(group.Select(point => point.Histogram));
                return new TimeSeriesPoint
                {
                    Time = group.Key,
                    Started = group.Sum(point => point.Started),
                    Completed = group.Sum(point => point.Completed),
                    Errors = group.Sum(point => point.Errors),
                    Dropped = group.Sum(point => point.Dropped),
                    P50Ms = LatencyHistogram.ValueAtPercentileMs(histogram, 50),
                    P99Ms = LatencyHistogram.ValueAtPercentileMs(histogram, 99),
                    Histogram = LatencyHistogram.Encode(histogram),
                };
            })];

    private static LongHistogram Add(IEnumerable<string> encoded)
    {
        var sum = LatencyHistogram.NewPlain();
        foreach (var histogram in encoded)
        {
            sum.Add(LatencyHistogram.Decode(histogram));
        }

        return sum;
    }
}
