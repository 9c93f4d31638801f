using System.Diagnostics;
using System.Text.Json;
using Deliverability.Forecasting;

namespace Deliverability.Benchmarks.Forecasts;

/// <summary>
/// The forecaster on the online retailer's hourly orders: one fit on a year of hourly data (target under 10 s), a whole
/// forecast (selection backtest included), and the protocol backtests with their scores. Times are also given as ratios
/// to seasonal naive's backtest over the same origins in the same run (no fitting: the machine's pace).
/// </summary>
public static class ForecastBenchmark
{
    public const double TargetFitSeconds = 10;
    public const string DefaultHistory = "tests/Deliverability.Forecasting.Tests/Data/online_retail_hourly.csv";

    private static readonly DateTimeOffset FirstOrigin = new(2011, 10, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastOrigin = new(2011, 12, 2, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string historyPath, int repeats, string outputPath, TextWriter output, CancellationToken cancellationToken)
    {
        if (!File.Exists(historyPath))
        {
            await Console.Error.WriteLineAsync($"error: no history at {historyPath} (run from the repository root)");
            return 2;
        }

        var read = Stopwatch.StartNew();
        VolumeSeries hourly;
        using (var reader = File.OpenText(historyPath))
        {
            hourly = VolumeHistoryCsv.Read(reader, "orders");
        }

        read.Stop();
        var daily = hourly.Aggregate(SeriesFrequency.Daily);

        // Warm-up: JIT and LightGBM's native library, outside every measure.
        new OriginForecaster(daily, 7, new PeakDayIndex([])).Forecast(daily.Points.Count - 7, fitModel: true, cancellationToken);

        var hourlyFit = Median(repeats, () => new OriginForecaster(hourly, 24, new PeakDayIndex([])).Forecast(hourly.Points.Count, fitModel: true, cancellationToken));
        var hourlyFit14d = Median(repeats, () => new OriginForecaster(hourly, 24 * 14, new PeakDayIndex([])).Forecast(hourly.Points.Count, fitModel: true, cancellationToken));
        var dailyFit = Median(repeats, () => new OriginForecaster(daily, 7, new PeakDayIndex([])).Forecast(daily.Points.Count, fitModel: true, cancellationToken));
        var naiveBaseline = Median(repeats, () => NaiveBacktest(hourly, cancellationToken));

        var forecaster = new VolumeForecaster();
        var forecastTime = Stopwatch.StartNew();
        var forecast = forecaster.Forecast(hourly, new ForecastRequest { Horizon = TimeSpan.FromDays(1) }, cancellationToken);
        forecastTime.Stop();

        var backtests = new List<BacktestResult>();
        foreach (var (series, horizon) in new[] { (daily, TimeSpan.FromDays(7)), (hourly, TimeSpan.FromHours(24)) })
        {
            var time = Stopwatch.StartNew();
            var score = forecaster.Backtest(series, new BacktestRequest { Horizon = horizon, FirstOrigin = FirstOrigin, LastOrigin = LastOrigin }, cancellationToken);
            backtests.Add(new BacktestResult(score.Level.ToString().ToLowerInvariant(), horizon.TotalHours, score.Origins, score.Wape, score.Mase, score.Coverage, score.SeasonalNaiveWape, time.Elapsed.TotalSeconds));
        }

        var report = new ForecastBenchmarkReport(
            DateTimeOffset.UtcNow,
            Environment.ProcessorCount,
            hourly.Points.Count,
            read.Elapsed.TotalSeconds,
            naiveBaseline,
            new FitResult("hourly, 24h horizon, one year", hourlyFit, hourlyFit / naiveBaseline, hourlyFit < TargetFitSeconds),
            new FitResult("hourly, 14d horizon, one year", hourlyFit14d, hourlyFit14d / naiveBaseline, hourlyFit14d < TargetFitSeconds),
            new FitResult("daily, 7d horizon, one year", dailyFit, dailyFit / naiveBaseline, dailyFit < TargetFitSeconds),
            forecastTime.Elapsed.TotalSeconds,
            forecast.Model,
            backtests);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        report.WriteTable(output);
        await output.WriteLineAsync($"JSON: {outputPath}");
        return report.HourlyFit.UnderTarget ? 0 : 1;
    }

    private static void NaiveBacktest(VolumeSeries hourly, CancellationToken cancellationToken)
    {
        var forecaster = new OriginForecaster(hourly, 24, new PeakDayIndex([]));
        var first = (int)(FirstOrigin - hourly.Points[0].Timestamp).TotalHours;
        var origins = Enumerable.Range(0, 61).Select(i => first + (24 * i)).ToList();
        new RollingOriginBacktest(forecaster, 24).Run(origins, 0, 0.9, fitModel: false, cancellationToken);
    }

    private static double Median(int repeats, Action action)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalSeconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}

public sealed record FitResult(string What, double Seconds, double RatioToNaiveBacktest, bool UnderTarget);

public sealed record BacktestResult(string Level, double HorizonHours, int Origins, double Wape, double Mase, double Coverage, double SeasonalNaiveWape, double Seconds);

public sealed record ForecastBenchmarkReport(
    DateTimeOffset StartedAt,
    int ProcessorCount,
    int HistoryPoints,
    double ReadSeconds,
    double NaiveBacktestSeconds,
    FitResult HourlyFit,
    FitResult HourlyFit14Days,
    FitResult DailyFit,
    double ForecastSeconds,
    string ForecastModel,
    IReadOnlyList<BacktestResult> Backtests)
{
    private static string Share(double value) => (value * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public void WriteTable(TextWriter output)
    {
        output.WriteLine($"Forecaster on online_retail_hourly.csv ({HistoryPoints:N0} hours), {ProcessorCount} cores, LightGBM on one thread");
        output.WriteLine($"Baseline: seasonal naive backtest, 61 hourly origins, no fit: {NaiveBacktestSeconds:F3} s (read CSV {ReadSeconds:F3} s)");
        output.WriteLine();
        output.WriteLine($"{"Fit (median)",-32} {"Seconds",8} {"x baseline",11} {"< 10 s",7}");
        foreach (var fit in new[] { HourlyFit, HourlyFit14Days, DailyFit })
        {
            output.WriteLine($"{fit.What,-32} {fit.Seconds,8:F2} {fit.RatioToNaiveBacktest,11:F1} {(fit.UnderTarget ? "yes" : "NO"),7}");
        }

        output.WriteLine($"{"whole hourly forecast, 24h",-32} {ForecastSeconds,8:F2} {ForecastSeconds / NaiveBacktestSeconds,11:F1}   (selection backtest + fit; chose {ForecastModel})");
        output.WriteLine();
        output.WriteLine($"{"Backtest 2011-10-03..12-02",-28} {"Origins",7} {"WAPE",7} {"MASE",6} {"Cover",7} {"Naive",7} {"Seconds",8}");
        foreach (var b in Backtests)
        {
            output.WriteLine($"{b.Level + ", " + b.HorizonHours + " h horizon",-28} {b.Origins,7} {Share(b.Wape),7} {b.Mase,6:F2} {Share(b.Coverage),7} {Share(b.SeasonalNaiveWape),7} {b.Seconds,8:F1}");
        }
    }
}
