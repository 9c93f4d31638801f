namespace Deliverability.Load;

/// <summary>The numbers a threshold reads, from live statistics or from a finished report.</summary>
internal interface IThresholdSubject
{
    long Count { get; }
    long Ok { get; }
    long Failed { get; }
    long Started { get; }
    long LateStarts { get; }
    long DroppedStarts { get; }
    double Seconds { get; }
    double MeanMs { get; }
    double MaxMs { get; }
    double ResponsePercentileMs(double percentile);
    double ServicePercentileMs(double percentile);
}

/// <summary>Evaluates thresholds against a subject: the scenario's, or one step's (found by name).</summary>
internal static class ThresholdEvaluator
{
    public static ThresholdVerdict Evaluate(Threshold threshold, string scenario, Func<string?, IThresholdSubject?> subjectFor)
    {
        var subject = subjectFor(threshold.Step);
        if (subject is null)
        {
            return new ThresholdVerdict
            {
                Expression = threshold.Expression,
                Scenario = scenario,
                Step = threshold.Step,
                Held = false,
                Observed = 0,
                Limit = threshold.Limit,
                Unit = Unit(threshold.Metric),
                AbortOnFail = threshold.AbortOnFail,
                Note = $"step '{threshold.Step}' never ran",
            };
        }

        var observed = Observe(threshold, subject);
        return new ThresholdVerdict
        {
            Expression = threshold.Expression,
            Scenario = scenario,
            Step = threshold.Step,
            Held = threshold.IsHeldBy(observed),
            Observed = observed,
            Limit = threshold.Limit,
            Unit = Unit(threshold.Metric),
            AbortOnFail = threshold.AbortOnFail,
        };
    }

    public static double Observe(Threshold threshold, IThresholdSubject subject) => threshold.Metric switch
    {
        ThresholdMetric.ResponseTimePercentile => subject.ResponsePercentileMs(threshold.Percentile),
        ThresholdMetric.ServiceTimePercentile => subject.ServicePercentileMs(threshold.Percentile),
        ThresholdMetric.MeanResponseTime => subject.MeanMs,
        ThresholdMetric.MaxResponseTime => subject.MaxMs,
        ThresholdMetric.ErrorRate => subject.Count == 0 ? 0 : subject.Failed / (double)subject.Count,
        ThresholdMetric.RequestsPerSecond => subject.Seconds <= 0 ? 0 : subject.Count / subject.Seconds,
        ThresholdMetric.AcceptedPerSecond => subject.Seconds <= 0 ? 0 : subject.Ok / subject.Seconds,
        ThresholdMetric.DroppedStarts => subject.DroppedStarts,
        _ => subject.Started == 0 ? 0 : subject.LateStarts / (double)subject.Started,
    };

    public static string Unit(ThresholdMetric metric) => metric switch
    {
        ThresholdMetric.ErrorRate or ThresholdMetric.LateStartRate => "ratio",
        ThresholdMetric.RequestsPerSecond or ThresholdMetric.AcceptedPerSecond => "per_s",
        ThresholdMetric.DroppedStarts => "count",
        _ => "ms",
    };

    /// <summary>A verdict as a short text: "p99 &lt; 500ms breached: 812.3 ms".</summary>
    public static string Describe(ThresholdVerdict verdict) =>
        $"{verdict.Expression} {verdict.Status}: {FormatObserved(verdict.Observed, verdict.Unit)}{(verdict.Note is null ? "" : $" ({verdict.Note})")}";

    public static string FormatObserved(double value, string unit) => unit switch
    {
        "ratio" => (value * 100).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%",
        "per_s" => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "/s",
        "count" => value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " ms",
    };
}
