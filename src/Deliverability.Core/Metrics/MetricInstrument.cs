namespace Deliverability.Core.Metrics;

/// <summary>How an instrument's measurements add up, which decides its names in Prometheus and its fields in InfluxDB.</summary>
public enum MetricKind
{
    /// <summary>Only goes up (events counted).</summary>
    Counter,

    /// <summary>Goes up and down by the amounts recorded (jobs running now).</summary>
    UpDownCounter,

    /// <summary>A distribution of recorded values (durations).</summary>
    Histogram,

    /// <summary>A value read when exported (the latest load-test p99, the forecast for this hour).</summary>
    Gauge,
}

/// <summary>
/// One instrument of the <c>Deliverability</c> meter: its OpenTelemetry name, kind, unit and tags, and the names it
/// gets in Prometheus and InfluxDB. The exporters and the dashboards' test read these, so a name lives in one place.
/// </summary>
/// <param name="Name">The OpenTelemetry name (dotted, lower case).</param>
/// <param name="Unit">UCUM unit: <c>s</c> for durations; null for counts and rates.</param>
/// <param name="Tags">The tag (label) keys its measurements carry.</param>
public sealed record MetricInstrument(string Name, MetricKind Kind, string? Unit, string Description, IReadOnlyList<string> Tags)
{
    /// <summary>The InfluxDB measurement: the name with underscores for dots (<c>deliverability_audit_checks</c>).</summary>
    public string InfluxMeasurement => Name.Replace('.', '_');

    /// <summary>
    /// The InfluxDB fields of each point: a counter writes what it counted in the export interval (<c>count</c>), a
    /// histogram the interval's <c>count</c>, <c>sum</c>, <c>min</c> and <c>max</c>, a gauge and an up-down counter the
    /// current <c>value</c>.
    /// </summary>
    public IReadOnlyList<string> InfluxFields => Kind switch
    {
        MetricKind.Counter => ["count"],
        MetricKind.Histogram => ["count", "sum", "min", "max"],
        _ => ["value"],
    };

    /// <summary>The base name Prometheus shows: dots become underscores and the unit is spelled out (<c>_seconds</c>).</summary>
    public string PrometheusName => Unit == "s" ? InfluxMeasurement + "_seconds" : InfluxMeasurement;

    /// <summary>Every series name Prometheus gets: <c>_total</c> for counters, <c>_bucket</c>, <c>_sum</c>, <c>_count</c> for histograms.</summary>
    public IReadOnlyList<string> PrometheusSeries => Kind switch
    {
        MetricKind.Counter => [PrometheusName + "_total"],
        MetricKind.Histogram => [PrometheusName + "_bucket", PrometheusName + "_sum", PrometheusName + "_count"],
        _ => [PrometheusName],
    };
}
