namespace Deliverability.Forecasting;

/// <summary>A rolling-origin backtest: fit up to each origin, forecast the horizon, pool the errors.</summary>
public sealed record BacktestRequest
{
    public required TimeSpan Horizon { get; init; }

    public DateTimeOffset? FirstOrigin { get; init; }

    public DateTimeOffset? LastOrigin { get; init; }

    public TimeSpan OriginStep { get; init; } = TimeSpan.FromDays(1);

    public double IntervalLevel { get; init; } = 0.9;
}
