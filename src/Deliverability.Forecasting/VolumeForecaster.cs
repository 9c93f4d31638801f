using System.Globalization;

namespace Deliverability.Forecasting;

/// <summary>
/// Gradient-boosted regression (LightGBM) on calendar, peak-day, lag and trend features, chosen against seasonal naive
/// by a rolling-origin backtest; conformal prediction intervals from the backtest's residuals; planned campaigns added
/// on their dates. Deterministic: one thread, fixed seeds.
/// </summary>
public sealed class VolumeForecaster : IVolumeForecaster
{
    public const string SeasonalNaiveModel = "seasonal-naive";

    private readonly TimeProvider _time;

    public VolumeForecaster(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <exception cref="VolumeHistoryException">The history is too short for the horizon and a backtest.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The horizon or the interval level is out of bounds.</exception>
    public VolumeForecast Forecast(VolumeSeries history, ForecastRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(request);
        var horizon = HorizonPeriods(history.Frequency, request.Horizon);
        ValidateLevel(request.IntervalLevel);
        var forecaster = new OriginForecaster(history, horizon, new PeakDayIndex(request.ExtraPeakDays));

        // The selection backtest: the latest origins whose horizon has ended, one a day (a week for weekly data).
        var step = SeriesPeriods.Count(DefaultOriginStep(history.Frequency), history.Frequency);
        var lastOrigin = forecaster.Length - horizon;
        var origins = new List<int>();
        for (var origin = lastOrigin; origin >= forecaster.FirstOrigin && origins.Count < ForecastLimits.SelectionOrigins + ForecastLimits.WarmUpOrigins; origin -= step)
        {
            origins.Insert(0, origin);
        }

        if (origins.Count < 2)
        {
            throw TooShort(history, forecaster, horizon);
        }

        // The scored origins are the latest ones; those before them only give the first scored origins their intervals.
        var warmUp = origins.Count > ForecastLimits.SelectionOrigins ? origins.Count - ForecastLimits.SelectionOrigins : origins.Count / 3;
        var outcome = new RollingOriginBacktest(forecaster, horizon).Run(origins, warmUp, request.IntervalLevel, fitModel: true, cancellationToken);
        var useModel = outcome.Model.Wape <= outcome.SeasonalNaive.Wape;
        var chosen = useModel ? outcome.Model : outcome.SeasonalNaive;
        var modelName = useModel ? GradientBoostedRegressor.ModelName : SeasonalNaiveModel;

        var final = forecaster.Forecast(forecaster.Length, useModel, cancellationToken);
        var predictions = useModel ? final.Model : final.SeasonalNaive;
        var start = history.End;
        var periodStep = SeriesPeriods.Step(history.Frequency);
        var campaignVolumes = CampaignVolumes(history, request.Campaigns, start, horizon, predictions);
        var points = new ForecastPoint[horizon];
        for (var k = 0; k < horizon; k++)
        {
            var unit = useModel ? final.IntervalUnit(k) : final.NaiveIntervalUnit(k);
            var (lower, upper) = ConformalInterval.Bounds(predictions[k], unit, chosen.Quantile);
            var campaign = campaignVolumes[k];
            points[k] = new ForecastPoint(start + (periodStep * k), predictions[k] + campaign, lower + campaign, upper + campaign);
        }

        return new VolumeForecast
        {
            Stream = history.Stream,
            Frequency = history.Frequency,
            Model = modelName,
            ModelVersion = ModelVersion(modelName, history.Frequency, horizon, forecaster.Season, VolumeFeatures.UsesDayOfYear(history.Frequency, history.Points.Count)),
            FallbackReason = useModel
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"seasonal naive's backtest WAPE {outcome.SeasonalNaive.Wape * 100:0.00}% beat {GradientBoostedRegressor.ModelName}'s {outcome.Model.Wape * 100:0.00}% over {outcome.ScoredOrigins} origins"),
            IntervalLevel = request.IntervalLevel,
            Points = points,
            Backtest = Score(history.Frequency, request.Horizon, outcome, modelName, chosen),
            HistoryEnd = start,
            GeneratedAt = _time.GetUtcNow(),
        };
    }

    /// <summary>Scores the model (never the fallback) by rolling origin, beside seasonal naive on the same origins.</summary>
    /// <exception cref="VolumeHistoryException">The origins fall outside what the history allows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The horizon, the origin step or the interval level is out of bounds.</exception>
    public BacktestScore Backtest(VolumeSeries history, BacktestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(request);
        var horizon = HorizonPeriods(history.Frequency, request.Horizon);
        ValidateLevel(request.IntervalLevel);
        var step = SeriesPeriods.Count(request.OriginStep ?? DefaultOriginStep(history.Frequency), history.Frequency);
        var forecaster = new OriginForecaster(history, horizon, new PeakDayIndex([]));
        var lastOrigin = request.LastOrigin is { } last ? OriginIndex(history, last, "last origin") : forecaster.Length - horizon;
        var firstOrigin = request.FirstOrigin is { } first ? OriginIndex(history, first, "first origin") : lastOrigin - ((ForecastLimits.SelectionOrigins - 1) * step);
        if (lastOrigin + horizon > forecaster.Length)
        {
            throw new VolumeHistoryException($"the last origin {Stamp(history, lastOrigin)} leaves less than the horizon before the history ends at {Stamp(history, forecaster.Length)}");
        }

        if (firstOrigin > lastOrigin)
        {
            throw new VolumeHistoryException("the first origin is after the last one");
        }

        if (firstOrigin < forecaster.FirstOrigin)
        {
            throw new VolumeHistoryException($"the first origin must leave enough history before it: {Stamp(history, forecaster.FirstOrigin)} or later");
        }

        var scored = ((lastOrigin - firstOrigin) / step) + 1;
        if (scored > ForecastLimits.MaxOrigins)
        {
            throw new VolumeHistoryException($"{scored} origins is more than the {ForecastLimits.MaxOrigins} a backtest may run");
        }

        var origins = new List<int>();
        for (var origin = firstOrigin - step; origin >= forecaster.FirstOrigin && origins.Count < ForecastLimits.WarmUpOrigins; origin -= step)
        {
            origins.Insert(0, origin);
        }

        var warmUp = origins.Count;
        for (var origin = firstOrigin; origin <= lastOrigin; origin += step)
        {
            origins.Add(origin);
        }

        var outcome = new RollingOriginBacktest(forecaster, horizon).Run(origins, warmUp, request.IntervalLevel, fitModel: true, cancellationToken);
        return Score(history.Frequency, request.Horizon, outcome, GradientBoostedRegressor.ModelName, outcome.Model);
    }

    /// <summary>The model's id: kind, features and settings; the same id means the same forecast for the same history.</summary>
    internal static string ModelVersion(string model, SeriesFrequency frequency, int horizon, int season, bool dayOfYear)
        => model == SeasonalNaiveModel
            ? $"{SeasonalNaiveModel}/v1/{VolumeSeries.Describe(frequency)}/s{season}/h{horizon}/conformal{ForecastLimits.CalibrationOrigins}"
            : $"{model}/v1/{VolumeSeries.Describe(frequency)}/s{season}/h{horizon}/f{VolumeFeatures.Count}{(dayOfYear ? "+doy" : "")}/{GradientBoostedRegressor.Settings}/conformal{ForecastLimits.CalibrationOrigins}";

    private static BacktestScore Score(SeriesFrequency level, TimeSpan horizon, BacktestOutcome outcome, string model, ModelScore score) => new()
    {
        Level = level,
        Horizon = horizon,
        Origins = outcome.ScoredOrigins,
        Model = model,
        Wape = score.Wape,
        Mase = score.Mase,
        Coverage = score.Coverage,
        SeasonalNaiveWape = outcome.SeasonalNaive.Wape,
    };

    /// <summary>Each campaign of the stream adds its volume on its date; within a day, in the forecast's own hourly shape.</summary>
    private static double[] CampaignVolumes(VolumeSeries history, IReadOnlyList<PlannedCampaign> campaigns, DateTimeOffset start, int horizon, double[] predictions)
    {
        var added = new double[horizon];
        var step = SeriesPeriods.Step(history.Frequency);
        foreach (var campaign in campaigns.Where(c => c.Stream == history.Stream))
        {
            if (!double.IsFinite(campaign.ExpectedVolume) || campaign.ExpectedVolume < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(campaigns), campaign.ExpectedVolume, "a campaign's expected volume must be a finite number, 0 or more");
            }

            var day = new DateTimeOffset(campaign.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var periods = Enumerable.Range(0, horizon)
                .Where(k => history.Frequency == SeriesFrequency.Hourly
                    ? (start + (step * k)).Date == day.Date
                    : day >= start + (step * k) && day < start + (step * (k + 1)))
                .ToList();
            if (periods.Count == 0)
            {
                continue; // outside the horizon
            }

            var shape = periods.Sum(k => predictions[k]);
            foreach (var k in periods)
            {
                added[k] += shape > 0 ? campaign.ExpectedVolume * predictions[k] / shape : campaign.ExpectedVolume / periods.Count;
            }
        }

        return added;
    }

    private static int HorizonPeriods(SeriesFrequency frequency, TimeSpan horizon)
    {
        if (horizon > ForecastLimits.MaxHorizon(frequency))
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"{VolumeSeries.Describe(frequency)} forecasts reach at most {ForecastLimits.MaxHorizon(frequency).TotalDays} days ahead");
        }

        return SeriesPeriods.Count(horizon, frequency);
    }

    private static TimeSpan DefaultOriginStep(SeriesFrequency frequency)
        => frequency == SeriesFrequency.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);

    private static void ValidateLevel(double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "the interval level must be between 0 and 1, e.g. 0.9");
        }
    }

    private static int OriginIndex(VolumeSeries history, DateTimeOffset origin, string name)
    {
        var offset = origin.ToUniversalTime() - history.Points[0].Timestamp;
        var step = SeriesPeriods.Step(history.Frequency);
        if (offset.Ticks % step.Ticks != 0)
        {
            throw new VolumeHistoryException($"the {name} {origin:O} is not at the start of a {VolumeSeries.Describe(history.Frequency)} period");
        }

        return (int)(offset.Ticks / step.Ticks);
    }

    private static string Stamp(VolumeSeries history, int index)
        => (history.Points[0].Timestamp + (SeriesPeriods.Step(history.Frequency) * index)).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    private static VolumeHistoryException TooShort(VolumeSeries history, OriginForecaster forecaster, int horizon)
        => new($"the history is too short: a forecast {horizon} {VolumeSeries.PeriodName(history.Frequency, horizon)} ahead needs at least {forecaster.FirstOrigin + horizon + 1} {VolumeSeries.PeriodName(history.Frequency, 2)} of history, it has {history.Points.Count}");
}
