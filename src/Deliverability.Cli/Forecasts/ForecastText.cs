using System.Globalization;
using Deliverability.Forecasting;

namespace Deliverability.Cli.Forecasts;

/// <summary>The text output of <c>monitor forecast</c> and <c>monitor forecast backtest</c>: a summary, then a table.</summary>
internal static class ForecastText
{
    public static ForecastPoint Peak(VolumeForecast forecast) => forecast.Points.MaxBy(p => p.Predicted);

    /// <param name="source">The history as read.</param>
    /// <param name="series">The history at the forecast's level: the source, or the source summed.</param>
    public static async Task WriteForecastAsync(TextWriter stdout, VolumeSeries source, VolumeSeries series, VolumeForecast forecast, ForecastRequest request)
    {
        var percent = Percent(forecast.IntervalLevel);
        var backtest = forecast.Backtest;
        await WriteHistoryAsync(stdout, source);
        if (series.Frequency != source.Frequency)
        {
            await stdout.WriteLineAsync(Line("Level", $"{ForecastOptionValues.FormatLevel(series.Frequency)}: {series.Points.Count.ToString("N0", CultureInfo.InvariantCulture)} periods summed from the {ForecastOptionValues.FormatLevel(source.Frequency)} history"));
            foreach (var repair in series.Repairs.Skip(source.Repairs.Count))
            {
                await stdout.WriteLineAsync(Line("", repair));
            }
        }

        await stdout.WriteLineAsync(Line("Model", forecast.Model == VolumeForecaster.SeasonalNaiveModel
            ? $"seasonal naive: {forecast.FallbackReason}"
            : $"{forecast.Model}: its backtest WAPE {Share(backtest.Wape)} beat seasonal naive's {Share(backtest.SeasonalNaiveWape)}"));
        await stdout.WriteLineAsync(Line("Version", forecast.ModelVersion));
        await stdout.WriteLineAsync(Line("Backtest", Score(backtest, percent)));
        var campaigns = request.Campaigns.Count(c => c.Stream == forecast.Stream);
        if (campaigns > 0)
        {
            await stdout.WriteLineAsync(Line("Campaigns", $"{campaigns} planned for {forecast.Stream}, added on their dates inside the horizon"));
        }

        var peak = Peak(forecast);
        await stdout.WriteLineAsync(Line("Peak", $"{Period(peak.Timestamp, forecast.Frequency)}: {Volume(peak.Predicted)} ({percent} interval {Volume(peak.Lower)} to {Volume(peak.Upper)})"));
        await stdout.WriteLineAsync();
        var width = forecast.Frequency == SeriesFrequency.Hourly ? 17 : 14;
        await stdout.WriteLineAsync($"{"Period (UTC)".PadRight(width)} {"Forecast",10} {"Lower",10} {"Upper",10}");
        foreach (var point in forecast.Points)
        {
            await stdout.WriteLineAsync($"{Period(point.Timestamp, forecast.Frequency).PadRight(width)} {Volume(point.Predicted),10} {Volume(point.Lower),10} {Volume(point.Upper),10}");
        }
    }

    public static async Task WriteBacktestAsync(TextWriter stdout, VolumeSeries series, IReadOnlyList<BacktestScore> scores, double intervalLevel)
    {
        await WriteHistoryAsync(stdout, series);
        await stdout.WriteLineAsync(Line("Protocol", "rolling origin: fit up to each origin, forecast the horizon, pool the errors; seasonal naive on the same origins"));
        await stdout.WriteLineAsync();
        var coverage = $"{Percent(intervalLevel)} cover";
        await stdout.WriteLineAsync($"{"Level",-8} {"Horizon",-8} {"Origins",7} {"Model",-9} {"WAPE",7} {"MASE",6} {coverage,9} {"Naive WAPE",11}");
        foreach (var score in scores)
        {
            await stdout.WriteLineAsync(
                $"{ForecastOptionValues.FormatLevel(score.Level),-8} {ForecastOptionValues.FormatHorizon(score.Horizon),-8} {score.Origins,7} {score.Model,-9} {Share(score.Wape),7} {Mase(score.Mase),6} {Share(score.Coverage),9} {Share(score.SeasonalNaiveWape),11}");
        }
    }

    private static async Task WriteHistoryAsync(TextWriter stdout, VolumeSeries series)
    {
        await stdout.WriteLineAsync(Line("History", $"{series.Stream}: {series.Points.Count.ToString("N0", CultureInfo.InvariantCulture)} {ForecastOptionValues.FormatLevel(series.Frequency)} points, {Period(series.Points[0].Timestamp, series.Frequency)} to {Period(series.Points[^1].Timestamp, series.Frequency)}, {Volume(series.Points.Sum(p => p.Count))} in all"));
        await stdout.WriteLineAsync(Line("Frequency", $"{ForecastOptionValues.FormatLevel(series.Frequency)} (inferred from the timestamps)"));
        await stdout.WriteLineAsync(Line("Repairs", series.Repairs.Count == 0 ? "none" : string.Join("; ", series.Repairs)));
    }

    private static string Score(BacktestScore score, string percent)
        => $"WAPE {Share(score.Wape)}, MASE {Mase(score.Mase)}, {percent} interval coverage {Share(score.Coverage)}; seasonal naive WAPE {Share(score.SeasonalNaiveWape)} ({score.Origins} origins, {ForecastOptionValues.FormatHorizon(score.Horizon)} horizon)";

    private static string Line(string label, string text) => $"{label,-10} {text}";

    private static string Period(DateTimeOffset timestamp, SeriesFrequency frequency) => frequency == SeriesFrequency.Hourly
        ? timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : timestamp.UtcDateTime.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture);

    private static string Volume(double value) => value.ToString(value >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture);

    private static string Share(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Mase(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double level) => (level * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
