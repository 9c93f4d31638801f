namespace Deliverability.Forecasting.Planning;

/// <summary>
/// The capacity a send path measured: the highest rate (messages per second) at which a load test's thresholds held,
/// when it was measured, and whether it is the knee of a capacity search (else a plain run's achieved rate, a lower bound).
/// </summary>
public sealed record SendPathCapacity(string SendPath, double Rate, DateTimeOffset MeasuredAt, bool IsKnee, string? Scenario = null, Guid? RunId = null);

/// <summary>The latest forecast of one stream and the send path its messages leave through.</summary>
public sealed record StreamForecast(string Stream, string SendPath, SeriesFrequency Frequency, IReadOnlyList<ForecastPoint> Points);

/// <summary>How much headroom a plan asks for, and how old a load test may be and still count.</summary>
public sealed record CapacityPlanSettings
{
    /// <summary>The extra capacity asked for above the forecast peak: 0.3 = the send path must carry 130 % of it.</summary>
    public double SafetyMargin { get; init; } = 0.3;

    /// <summary>A load test older than this says nothing about the send path today (its verdict is unknown).</summary>
    public TimeSpan LoadTestMaxAge { get; init; } = TimeSpan.FromDays(30);
}
