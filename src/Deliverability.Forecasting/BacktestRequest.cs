namespace Deliverability.Forecasting;

/// <summary>A rolling-origin backtest: fit up to each origin, forecast the horizon, pool the errors.</summary>
public sealed record BacktestRequest
{
    public required TimeSpan Horizon { get; init; }

    public DateTimeOffset? FirstOrigin { get; init; }

    public DateTimeOffset? LastOrigin { get; init; }

    /// <summary>Between origins; by default a day, or a week for weekly data.</summary>
    public TimeSpan? OriginStep { get; init; }

    public double IntervalLevel { get; init; } = 0.9;
}
