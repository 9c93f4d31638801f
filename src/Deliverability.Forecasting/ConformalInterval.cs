namespace Deliverability.Forecasting;

/// <summary>
/// Split-conformal intervals from backtest residuals: each residual is divided by an interval unit (the prediction plus
/// a floor from the recent level), and the interval is the prediction plus or minus the residuals' quantile in that unit.
/// </summary>
internal static class ConformalInterval
{
    /// <summary>The unit's floor as a share of the recent level: quiet periods still get a width.</summary>
    public const double LevelFloor = 0.2;

    public static double Score(double actual, double predicted, double unit)
        => unit > 0 ? Math.Abs(actual - predicted) / unit : (actual == predicted ? 0 : double.PositiveInfinity);

    /// <summary>The conformal quantile: the ceil((n + 1) level)-th smallest score; infinite with too few scores.</summary>
    public static double Quantile(IEnumerable<double> scores, double level)
    {
        var sorted = scores.Order().ToArray();
        var rank = (int)Math.Ceiling((sorted.Length + 1) * level);
        return sorted.Length == 0 || rank > sorted.Length ? double.PositiveInfinity : sorted[rank - 1];
    }

    public static (double Lower, double Upper) Bounds(double predicted, double unit, double quantile)
    {
        var half = double.IsFinite(quantile) ? quantile * unit : double.MaxValue / 4;
        return (Math.Max(0, predicted - half), predicted + half);
    }
}
