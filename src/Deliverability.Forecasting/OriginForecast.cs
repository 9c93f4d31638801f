namespace Deliverability.Forecasting;

/// <summary>
/// The forecasts of both models from one origin, fitted on the values before it only; for a backtest origin, also the
/// actuals of its horizon.
/// </summary>
internal sealed record OriginForecast(
    int Origin,
    double[] Model,
    double[] SeasonalNaive,
    double Level,
    double NaiveScale)
{
    /// <summary>The width unit of the model's interval: its own prediction plus a floor from the recent level.</summary>
    public double IntervalUnit(int step) => Math.Max(Model[step], 0) + (ConformalInterval.LevelFloor * Level);

    public double NaiveIntervalUnit(int step) => Math.Max(SeasonalNaive[step], 0) + (ConformalInterval.LevelFloor * Level);
}
