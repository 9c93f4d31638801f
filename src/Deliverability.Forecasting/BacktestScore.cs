namespace Deliverability.Forecasting;

/// <summary>The pooled errors of a rolling-origin backtest, beside seasonal naive's under the same protocol.</summary>
public sealed record BacktestScore
{
    public required SeriesFrequency Level { get; init; }

    public required TimeSpan Horizon { get; init; }

    public required int Origins { get; init; }

    /// <summary>"lightgbm", "fasttree" or "seasonal-naive".</summary>
    public required string Model { get; init; }

    public required double Wape { get; init; }

    public required double Mase { get; init; }

    /// <summary>Share of actuals inside the interval.</summary>
    public required double Coverage { get; init; }

    /// <summary>Same protocol, same origins.</summary>
    public required double SeasonalNaiveWape { get; init; }
}
