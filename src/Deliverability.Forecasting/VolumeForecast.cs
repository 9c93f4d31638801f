namespace Deliverability.Forecasting;

/// <summary>A forecast of one stream with the backtest that chose its model.</summary>
public sealed record VolumeForecast
{
    public required string Stream { get; init; }

    public required SeriesFrequency Frequency { get; init; }

    /// <summary>The model chosen by the backtest.</summary>
    public required string Model { get; init; }

    /// <summary>Stable id of model kind, features and settings.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Set when seasonal naive was chosen over the ML model.</summary>
    public string? FallbackReason { get; init; }

    public required double IntervalLevel { get; init; }

    public required IReadOnlyList<ForecastPoint> Points { get; init; }

    public required BacktestScore Backtest { get; init; }

    /// <summary>The start of the first forecast period: the end of the history.</summary>
    public required DateTimeOffset HistoryEnd { get; init; }

    /// <summary>When the forecast was made.</summary>
    public DateTimeOffset GeneratedAt { get; init; }
}
