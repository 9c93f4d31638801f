namespace Deliverability.Load;

/// <summary>What a threshold measures.</summary>
public enum ThresholdMetric
{
    /// <summary><c>p50</c>, <c>p99</c>, <c>p99.9</c>...: a response-time percentile (from the planned start), ms.</summary>
    ResponseTimePercentile,
    /// <summary><c>service_p99</c>...: a service-time percentile (from the actual start), ms.</summary>
    ServiceTimePercentile,
    /// <summary><c>mean</c>: mean response time, ms.</summary>
    MeanResponseTime,
    /// <summary><c>max</c>: highest response time, ms.</summary>
    MaxResponseTime,
    /// <summary><c>error_rate</c>: failed / completed, a fraction (written as a percentage or a fraction).</summary>
    ErrorRate,
    /// <summary><c>rps</c>: completed invocations per second.</summary>
    RequestsPerSecond,
    /// <summary><c>accepted_per_s</c> (also <c>ok_per_s</c>): successful invocations per second.</summary>
    AcceptedPerSecond,
    /// <summary><c>dropped</c>: planned starts that were dropped (a count).</summary>
    DroppedStarts,
    /// <summary><c>late_rate</c>: late starts / started, a fraction.</summary>
    LateStartRate,
}

/// <summary>How the observed value is compared with the limit.</summary>
public enum ThresholdOperator
{
    /// <summary><c>&lt;</c></summary>
    LessThan,
    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,
    /// <summary><c>&gt;</c></summary>
    GreaterThan,
    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,
}

/// <summary>
/// A pass/fail criterion such as <c>p99 &lt; 500ms</c>, <c>connect.p99 &lt; 50ms</c>, <c>error_rate &lt; 1%</c> or
/// <c>accepted_per_s &gt;= 200</c>, checked while the run goes and at its end. Made by <see cref="Parse"/>.
/// </summary>
public sealed record Threshold
{
    internal Threshold(string expression, string? step, ThresholdMetric metric, double percentile,
        ThresholdOperator @operator, double limit)
    {
        Expression = expression;
        Step = step;
        Metric = metric;
        Percentile = percentile;
        Operator = @operator;
        Limit = limit;
    }

    /// <summary>The text as written (trimmed).</summary>
    public string Expression { get; }

    /// <summary>The step it is scoped to (<c>connect.p99</c>), or null for the whole invocation.</summary>
    public string? Step { get; }

    /// <summary>What is measured.</summary>
    public ThresholdMetric Metric { get; }

    /// <summary>For percentile metrics, the percentile (99.9 for p99.9); otherwise 0.</summary>
    public double Percentile { get; }

    /// <summary>The comparison.</summary>
    public ThresholdOperator Operator { get; }

    /// <summary>The limit in the metric's unit: milliseconds, a fraction (0.01 for 1%), per second, or a count.</summary>
    public double Limit { get; }

    /// <summary>Whether a breach while running stops the whole run.</summary>
    public bool AbortOnFail { get; init; }

    /// <summary>With <see cref="AbortOnFail"/>, breaches in the first part of the measured run do not abort it.</summary>
    public TimeSpan AbortGracePeriod { get; init; }

    /// <summary>
    /// Parses <paramref name="text"/>: <c>[step.]metric operator value[unit]</c>. Throws <see cref="FormatException"/>
    /// whose message is one line naming the problem.
    /// </summary>
    public static Threshold Parse(string text, bool abortOnFail = false, TimeSpan? abortGracePeriod = null) =>
        TryParse(text, out var threshold, out var error)
            ? threshold with { AbortOnFail = abortOnFail, AbortGracePeriod = abortGracePeriod ?? TimeSpan.Zero }
            : throw new FormatException(error);

    /// <summary>Parses without throwing; <paramref name="error"/> is a one-line message when it fails.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Threshold? threshold,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        ThresholdParser.TryParse(text, out threshold, out error);

    /// <summary>Whether <paramref name="observed"/> satisfies the threshold.</summary>
    public bool IsHeldBy(double observed) => Operator switch
    {
        ThresholdOperator.LessThan => observed < Limit,
        ThresholdOperator.LessThanOrEqual => observed <= Limit,
        ThresholdOperator.GreaterThan => observed > Limit,
        _ => observed >= Limit,
    };

    /// <summary>The expression.</summary>
    public override string ToString() => Expression;
}
