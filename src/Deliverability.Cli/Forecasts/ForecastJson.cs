using Deliverability.Forecasting;

namespace Deliverability.Cli.Forecasts;

/// <summary>The <c>monitor forecast --json</c> output.</summary>
internal sealed record ForecastJson(
    string Stream,
    HistoryJson History,
    string Level,
    string Horizon,
    string Model,
    string ModelVersion,
    string? FallbackReason,
    double IntervalLevel,
    BacktestScoreJson Backtest,
    ForecastPointJson Peak,
    int Campaigns,
    IReadOnlyList<ForecastPointJson> Points)
{
    /// <param name="source">The history as read (the forecast's level may sum it).</param>
    public static ForecastJson From(VolumeSeries source, VolumeForecast forecast, ForecastRequest request) => new(
        forecast.Stream,
        HistoryJson.From(source),
        ForecastOptionValues.FormatLevel(forecast.Frequency),
        ForecastOptionValues.FormatHorizon(request.Horizon),
        forecast.Model,
        forecast.ModelVersion,
        forecast.FallbackReason,
        forecast.IntervalLevel,
        BacktestScoreJson.From(forecast.Backtest),
        ForecastPointJson.From(ForecastText.Peak(forecast)),
        request.Campaigns.Count(c => c.Stream == forecast.Stream),
        forecast.Points.Select(ForecastPointJson.From).ToList());
}

/// <summary>The <c>monitor forecast backtest --json</c> output: one score per level and horizon.</summary>
internal sealed record BacktestJson(string Stream, HistoryJson History, double IntervalLevel, IReadOnlyList<BacktestScoreJson> Scores)
{
    public static BacktestJson From(VolumeSeries series, IReadOnlyList<BacktestScore> scores, double intervalLevel)
        => new(series.Stream, HistoryJson.From(series), intervalLevel, scores.Select(BacktestScoreJson.From).ToList());
}

internal sealed record HistoryJson(string Frequency, int Points, DateTimeOffset First, DateTimeOffset Last, double Total, IReadOnlyList<string> Repairs)
{
    public static HistoryJson From(VolumeSeries series) => new(
        ForecastOptionValues.FormatLevel(series.Frequency),
        series.Points.Count,
        series.Points[0].Timestamp,
        series.Points[^1].Timestamp,
        series.Points.Sum(p => p.Count),
        series.Repairs);
}

internal sealed record BacktestScoreJson(string Level, string Horizon, int Origins, string Model, double Wape, double Mase, double Coverage, SeasonalNaiveJson SeasonalNaive)
{
    public static BacktestScoreJson From(BacktestScore score) => new(
        ForecastOptionValues.FormatLevel(score.Level),
        ForecastOptionValues.FormatHorizon(score.Horizon),
        score.Origins,
        score.Model,
        Math.Round(score.Wape, 5),
        Math.Round(score.Mase, 4),
        Math.Round(score.Coverage, 4),
        new SeasonalNaiveJson(Math.Round(score.SeasonalNaiveWape, 5)));
}

internal sealed record SeasonalNaiveJson(double Wape);

internal sealed record ForecastPointJson(DateTimeOffset Timestamp, double Predicted, double Lower, double Upper)
{
    public static ForecastPointJson From(ForecastPoint point)
        => new(point.Timestamp, Math.Round(point.Predicted, 2), Math.Round(point.Lower, 2), Math.Round(point.Upper, 2));
}
