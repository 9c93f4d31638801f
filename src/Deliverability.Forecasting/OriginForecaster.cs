namespace Deliverability.Forecasting;

/// <summary>Fits on the values before an origin and forecasts the horizon after it, with the model and with seasonal naive.</summary>
internal sealed class OriginForecaster
{
    private readonly double[] _values;
    private readonly DateTimeOffset _start;
    private readonly SeriesFrequency _frequency;
    private readonly int _horizon;
    private readonly int _season;
    private readonly int _anchorSpacing;
    private readonly int _maxTrainingPeriods;
    private readonly PeakDayIndex _peaks;

    public OriginForecaster(VolumeSeries history, int horizon, PeakDayIndex peaks)
    {
        _values = history.Points.Select(p => p.Count).ToArray();
        _start = history.Points[0].Timestamp;
        _frequency = history.Frequency;
        _horizon = horizon;
        _season = SeriesPeriods.Season(history.Frequency, _values.Length);
        _maxTrainingPeriods = ForecastLimits.MaxTrainingPeriods(history.Frequency);
        _peaks = peaks;

        // Training anchors a day apart (a period for daily and weekly data), sparser for long horizons so that the
        // rows stay within about eight per period of history.
        var day = history.Frequency == SeriesFrequency.Hourly ? 24 : 1;
        _anchorSpacing = day * Math.Max(1, (horizon + (8 * day) - 1) / (8 * day));
    }

    public int Season => _season;

    public int Length => _values.Length;

    public double Actual(int index) => _values[index];

    /// <summary>The earliest origin with enough history before it to fit on.</summary>
    public int FirstOrigin => (4 * _season) + _horizon + Math.Max(2 * _season, ForecastLimits.MinimumTrainingRows);

    public OriginForecast Forecast(int origin, bool fitModel, CancellationToken cancellationToken)
    {
        if (origin < FirstOrigin || origin > _values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(origin));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Only the values before the origin exist for what follows: the future cannot leak into features or fit.
        var known = _values.AsSpan(0, origin);
        var naive = new double[_horizon];
        for (var k = 0; k < _horizon; k++)
        {
            naive[k] = known[origin + k - (_season * ((k / _season) + 1))];
        }

        var features = new VolumeFeatures(known, _start, _frequency, _season, _peaks);
        var recentLevel = Mean(known, _season);
        var naiveScale = InSampleNaiveError(known);
        if (!fitModel)
        {
            return new OriginForecast(origin, naive, naive, recentLevel, naiveScale);
        }

        var rows = new List<TrainingRow>();
        var earliest = Math.Max(features.FirstAnchor, origin - _maxTrainingPeriods);
        for (var anchor = origin - _anchorSpacing; anchor >= earliest; anchor -= _anchorSpacing)
        {
            for (var t = anchor; t < Math.Min(anchor + _horizon, origin); t++)
            {
                var row = new TrainingRow();
                var level = features.Fill(anchor, t, row.Features, out var baseline);
                if (level <= 0)
                {
                    continue; // nothing sent in the recent past (a closure): no shape to learn from
                }

                // The model learns what the seasonal baseline misses, in units of the recent level.
                row.Label = (float)Math.Clamp((known[t] - baseline) / level, -ForecastLimits.MaxRatioToLevel, ForecastLimits.MaxRatioToLevel);
                rows.Add(row);
            }
        }

        var future = new List<TrainingRow>(_horizon);
        var levels = new double[_horizon];
        var baselines = new double[_horizon];
        for (var k = 0; k < _horizon; k++)
        {
            var row = new TrainingRow();
            levels[k] = features.Fill(origin, origin + k, row.Features, out baselines[k]);
            future.Add(row);
        }

        var model = new double[_horizon];
        if (rows.Count >= ForecastLimits.MinimumTrainingRows)
        {
            var regressor = GradientBoostedRegressor.Fit(rows);
            var corrections = regressor.Predict(future);
            for (var k = 0; k < _horizon; k++)
            {
                model[k] = Math.Max(0, baselines[k] + (corrections[k] * levels[k]));
            }
        }
        else
        {
            Array.Copy(naive, model, _horizon);
        }

        return new OriginForecast(origin, model, naive, recentLevel, naiveScale);
    }

    private static double Mean(ReadOnlySpan<double> values, int length)
    {
        var from = Math.Max(0, values.Length - length);
        var sum = 0.0;
        for (var i = from; i < values.Length; i++)
        {
            sum += values[i];
        }

        return values.Length > from ? sum / (values.Length - from) : 0;
    }

    /// <summary>MASE's scale: the mean absolute error of seasonal naive over the training values.</summary>
    private double InSampleNaiveError(ReadOnlySpan<double> known)
    {
        var sum = 0.0;
        for (var i = _season; i < known.Length; i++)
        {
            sum += Math.Abs(known[i] - known[i - _season]);
        }

        return known.Length > _season ? sum / (known.Length - _season) : 0;
    }
}
