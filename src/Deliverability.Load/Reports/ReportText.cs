using System.Globalization;

namespace Deliverability.Load;

/// <summary>Number and label formats shared by the writers (invariant culture, so reports read the same everywhere).</summary>
internal static class ReportText
{
    public static readonly (string Label, Func<LatencyStats, double> Value)[] LatencyColumns =
    [
        ("p50", stats => stats.P50Ms), ("p75", stats => stats.P75Ms), ("p90", stats => stats.P90Ms),
        ("p95", stats => stats.P95Ms), ("p99", stats => stats.P99Ms), ("p99.9", stats => stats.P999Ms),
        ("max", stats => stats.MaxMs), ("min", stats => stats.MinMs), ("mean", stats => stats.MeanMs),
        ("stddev", stats => stats.StdDevMs),
    ];

    public const string InvocationRow = "(invocation)";

    public static string Ms(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Rate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => (ratio * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    public static string Observed(ThresholdVerdict verdict) => ThresholdEvaluator.FormatObserved(verdict.Observed, verdict.Unit);

    public static string Limit(ThresholdVerdict verdict) => ThresholdEvaluator.FormatObserved(verdict.Limit, verdict.Unit);

    public static string Summary(RunReport report)
    {
        var breached = report.Scenarios.Sum(scenario => scenario.Thresholds.Count(verdict => !verdict.Held));
        var total = report.Scenarios.Sum(scenario => scenario.Thresholds.Count);
        return total == 0 ? "no thresholds"
            : breached == 0 ? $"all {total} thresholds held"
            : $"{breached} of {total} thresholds breached";
    }

    public static IEnumerable<(string Step, StatsReport Stats)> Rows(ScenarioReport scenario) =>
        new[] { (InvocationRow, scenario.Stats) }.Concat(scenario.Steps.Select(step => (step.Name, step.Stats)));
}
