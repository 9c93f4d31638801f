namespace Deliverability.Forecasting;

/// <summary>
/// Rolling origin: fit up to each origin, forecast the horizon, pool the errors of every origin. Both models are
/// scored on the same origins and periods. The interval of an origin comes from the residuals of earlier origins whose
/// horizon had ended by then (the latest <see cref="ForecastLimits.CalibrationOrigins"/> of them, so the width follows
/// the season), and its coverage is measured as it would have been lived.
/// </summary>
internal sealed class RollingOriginBacktest
{
    private readonly OriginForecaster _forecaster;
    private readonly int _horizon;

    public RollingOriginBacktest(OriginForecaster forecaster, int horizon)
    {
        _forecaster = forecaster;
        _horizon = horizon;
    }

    /// <param name="origins">In time order; the first <paramref name="warmUp"/> only feed the intervals.</param>
    public BacktestOutcome Run(IReadOnlyList<int> origins, int warmUp, double level, bool fitModel, CancellationToken cancellationToken)
    {
        var forecasts = origins.Select(o => _forecaster.Forecast(o, fitModel, cancellationToken)).ToList();
        return new BacktestOutcome(
            Score(forecasts, warmUp, level, f => f.Model, (f, k) => f.IntervalUnit(k)),
            Score(forecasts, warmUp, level, f => f.SeasonalNaive, (f, k) => f.NaiveIntervalUnit(k)),
            origins.Count - warmUp);
    }

    private ModelScore Score(List<OriginForecast> forecasts, int warmUp, double level, Func<OriginForecast, double[]> predictions, Func<OriginForecast, int, double> unit)
    {
        double absoluteError = 0, absoluteActual = 0, scaledErrorSum = 0;
        int scaledOrigins = 0, inside = 0, covered = 0;
        var residuals = new List<double[]>(forecasts.Count);
        for (var i = 0; i < forecasts.Count; i++)
        {
            var forecast = forecasts[i];
            var predicted = predictions(forecast);
            var scores = new double[_horizon];
            for (var k = 0; k < _horizon; k++)
            {
                scores[k] = ConformalInterval.Score(_forecaster.Actual(forecast.Origin + k), predicted[k], unit(forecast, k));
            }

            residuals.Add(scores);
            if (i < warmUp)
            {
                continue;
            }

            var originError = 0.0;
            for (var k = 0; k < _horizon; k++)
            {
                var actual = _forecaster.Actual(forecast.Origin + k);
                originError += Math.Abs(actual - predicted[k]);
                absoluteActual += Math.Abs(actual);
            }

            absoluteError += originError;
            if (forecast.NaiveScale > 0)
            {
                scaledErrorSum += originError / _horizon / forecast.NaiveScale;
                scaledOrigins++;
            }

            // Only residuals of horizons that had ended at this origin are known to it.
            var ended = residuals.Take(i).Where((_, j) => forecasts[j].Origin + _horizon <= forecast.Origin).ToList();
            var known = ended.Skip(Math.Max(0, ended.Count - ForecastLimits.CalibrationOrigins)).SelectMany(r => r).ToList();
            if (known.Count == 0)
            {
                continue;
            }

            var quantile = ConformalInterval.Quantile(known, level);
            for (var k = 0; k < _horizon; k++)
            {
                var (lower, upper) = ConformalInterval.Bounds(predicted[k], unit(forecast, k), quantile);
                var actual = _forecaster.Actual(forecast.Origin + k);
                covered++;
                if (actual >= lower && actual <= upper)
                {
                    inside++;
                }
            }
        }

        return new ModelScore(
            absoluteActual > 0 ? absoluteError / absoluteActual : 0,
            scaledOrigins > 0 ? scaledErrorSum / scaledOrigins : 0,
            covered > 0 ? (double)inside / covered : 0,
            ConformalInterval.Quantile(residuals.Skip(Math.Max(0, residuals.Count - ForecastLimits.CalibrationOrigins)).SelectMany(r => r), level));
    }
}

/// <summary>Pooled scores of one model; <see cref="Quantile"/> is the interval width from every origin's residuals.</summary>
internal sealed record ModelScore(double Wape, double Mase, double Coverage, double Quantile);

internal sealed record BacktestOutcome(ModelScore Model, ModelScore SeasonalNaive, int ScoredOrigins);
