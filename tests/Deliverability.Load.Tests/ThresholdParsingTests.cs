namespace Deliverability.Load.Tests;

public sealed class ThresholdParsingTests
{
    [Theory]
    [InlineData("p99 < 500ms", null, ThresholdMetric.ResponseTimePercentile, 99, ThresholdOperator.LessThan, 500)]
    [InlineData("p90<=200ms", null, ThresholdMetric.ResponseTimePercentile, 90, ThresholdOperator.LessThanOrEqual, 200)]
    [InlineData("p99.9 < 1.5s", null, ThresholdMetric.ResponseTimePercentile, 99.9, ThresholdOperator.LessThan, 1500)]
    [InlineData("P95 < 250", null, ThresholdMetric.ResponseTimePercentile, 95, ThresholdOperator.LessThan, 250)]
    [InlineData("error_rate < 1%", null, ThresholdMetric.ErrorRate, 0, ThresholdOperator.LessThan, 0.01)]
    [InlineData("error_rate <= 0.05", null, ThresholdMetric.ErrorRate, 0, ThresholdOperator.LessThanOrEqual, 0.05)]
    [InlineData("accepted_per_s >= 200", null, ThresholdMetric.AcceptedPerSecond, 0, ThresholdOperator.GreaterThanOrEqual, 200)]
    [InlineData("ok_per_s > 10/s", null, ThresholdMetric.AcceptedPerSecond, 0, ThresholdOperator.GreaterThan, 10)]
    [InlineData("rps >= 100", null, ThresholdMetric.RequestsPerSecond, 0, ThresholdOperator.GreaterThanOrEqual, 100)]
    [InlineData("connect.p99 < 50ms", "connect", ThresholdMetric.ResponseTimePercentile, 99, ThresholdOperator.LessThan, 50)]
    [InlineData("smtp.data.p99.9 < 2s", "smtp.data", ThresholdMetric.ResponseTimePercentile, 99.9, ThresholdOperator.LessThan, 2000)]
    [InlineData("rcpt.error_rate < 0.5%", "rcpt", ThresholdMetric.ErrorRate, 0, ThresholdOperator.LessThan, 0.005)]
    [InlineData("service_p99 < 800us", null, ThresholdMetric.ServiceTimePercentile, 99, ThresholdOperator.LessThan, 0.8)]
    [InlineData("mean < 1m", null, ThresholdMetric.MeanResponseTime, 0, ThresholdOperator.LessThan, 60_000)]
    [InlineData("max<3s", null, ThresholdMetric.MaxResponseTime, 0, ThresholdOperator.LessThan, 3000)]
    [InlineData("dropped < 1", null, ThresholdMetric.DroppedStarts, 0, ThresholdOperator.LessThan, 1)]
    [InlineData("late_rate < 5%", null, ThresholdMetric.LateStartRate, 0, ThresholdOperator.LessThan, 0.05)]
    public void Valid_thresholds_parse(string text, string? step, ThresholdMetric metric, double percentile,
        ThresholdOperator op, double limit)
    {
        var threshold = Threshold.Parse(text);

        Assert.Equal(text.Trim(), threshold.Expression);
        Assert.Equal(step, threshold.Step);
        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(percentile, threshold.Percentile, precision: 9);
        Assert.Equal(op, threshold.Operator);
        Assert.Equal(limit, threshold.Limit, precision: 9);
        Assert.False(threshold.AbortOnFail);
    }

    [Theory]
    [InlineData("", "threshold is empty")]
    [InlineData("p99 500ms", "no comparison")]
    [InlineData("p99 == 500ms", "unsupported comparison")]
    [InlineData("p99 => 500ms", "unsupported comparison")]
    [InlineData("p99 << 500ms", "unsupported comparison")]
    [InlineData("< 500ms", "no metric")]
    [InlineData("p999x < 5", "unknown metric 'p999x'")]
    [InlineData("p0 < 5", "unknown metric")]
    [InlineData("p101 < 5", "unknown metric")]
    [InlineData("latency < 5", "unknown metric 'latency'")]
    [InlineData("p99 <", "no value after the comparison")]
    [InlineData("p99 < fast", "the value must be a number")]
    [InlineData("p99 < -5ms", "the value must be a number")]
    [InlineData("p99 < 1.2.3ms", "the value must be a number")]
    [InlineData("p99 < 5 parsecs", "unknown time unit 'parsecs'")]
    [InlineData("p99 < 5%", "unknown time unit '%'")]
    [InlineData("error_rate < 5", "needs a percent sign")]
    [InlineData("error_rate < 150%", "cannot exceed 100%")]
    [InlineData("error_rate < 1ms", "unknown unit 'ms' for a rate")]
    [InlineData("rps > 5ms", "rate per second")]
    [InlineData("dropped < 5%", "takes no unit")]
    [InlineData("connect.dropped < 1", "belongs to the scenario")]
    [InlineData("my step.p99 < 5", "step name 'my step'")]
    public void Invalid_thresholds_fail_with_one_clear_line(string text, string expected)
    {
        Assert.False(Threshold.TryParse(text, out var threshold, out var error));
        Assert.Null(threshold);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);

        var exception = Assert.Throws<FormatException>(() => Threshold.Parse(text));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void Control_characters_in_the_input_never_reach_the_message()
    {
        Assert.False(Threshold.TryParse("p99\n\u001b[31m < 5", out _, out var error));
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\u001b', error);
    }

    [Fact]
    public void Overlong_input_is_refused_without_parsing()
    {
        var text = "p99 < " + new string('9', 5000);

        Assert.False(Threshold.TryParse(text, out _, out var error));
        Assert.Contains("longer than 200 characters", error);
    }

    [Fact]
    public void Comparisons_hold_as_written()
    {
        Assert.True(Threshold.Parse("p99 < 500ms").IsHeldBy(499.9));
        Assert.False(Threshold.Parse("p99 < 500ms").IsHeldBy(500));
        Assert.True(Threshold.Parse("p99 <= 500ms").IsHeldBy(500));
        Assert.True(Threshold.Parse("rps >= 100").IsHeldBy(100));
        Assert.False(Threshold.Parse("rps > 100").IsHeldBy(100));
    }

    [Fact]
    public void Abort_on_fail_and_grace_period_are_kept()
    {
        var threshold = Threshold.Parse("error_rate < 1%", abortOnFail: true, abortGracePeriod: TimeSpan.FromSeconds(5));

        Assert.True(threshold.AbortOnFail);
        Assert.Equal(TimeSpan.FromSeconds(5), threshold.AbortGracePeriod);
    }
}
