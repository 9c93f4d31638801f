using System.CommandLine;
using System.Text.Json;
using Deliverability.Forecasting;

namespace Deliverability.Cli.Forecasts;

/// <summary>
/// <c>monitor forecast</c>: forecast a stream's send volume from its history (with prediction intervals, the model
/// chosen by a rolling-origin backtest), and <c>monitor forecast backtest</c>: score the model against seasonal naive.
/// Exit code 0 done, 2 bad usage or a history, campaign file or request that cannot be used (one line on stderr).
/// </summary>
public static class ForecastCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var history = HistoryOption();
        var stream = StreamOption();
        var horizon = ForecastOptionValues.Horizon("How far ahead: 24h, 14d, 2w (default 14d; hourly at most 31d)");
        var interval = ForecastOptionValues.IntervalLevel();
        var level = ForecastOptionValues.Level("Forecast hourly, daily or weekly volumes (default: the history's own frequency; coarser levels sum it)");
        var campaigns = new Option<string?>("--campaigns") { Description = "Planned campaigns, a CSV of date,stream,volume: each adds its volume on its date to its stream's forecast" };
        var peakDays = ForecastOptionValues.PeakDays();
        var json = JsonOption();

        var command = new Command("forecast", "Forecast a stream's send volume from a timestamp,count history: peak-aware gradient-boosted model or seasonal naive, whichever wins the backtest, with conformal prediction intervals. Exit code 0 done, 2 bad usage or unusable input.");
        command.Options.Add(history);
        command.Options.Add(stream);
        command.Options.Add(horizon);
        command.Options.Add(interval);
        command.Options.Add(level);
        command.Options.Add(campaigns);
        command.Options.Add(peakDays);
        command.Options.Add(json);
        command.Subcommands.Add(Backtest(stdout, stderr));
        command.SetAction((parsed, cancellationToken) => RunAsync(stderr, () =>
        {
            var source = ForecastInput.ReadHistory(parsed.GetValue(history)!, parsed.GetValue(stream)!);
            var series = ForecastInput.AtLevel(source, parsed.GetValue(level));
            var request = new ForecastRequest
            {
                Horizon = parsed.GetValue(horizon) ?? TimeSpan.FromDays(14),
                IntervalLevel = parsed.GetValue(interval),
                Campaigns = parsed.GetValue(campaigns) is { } file ? ForecastInput.ReadCampaigns(file) : [],
                ExtraPeakDays = parsed.GetValue(peakDays) ?? [],
            };
            var forecast = new VolumeForecaster().Forecast(series, request, cancellationToken);
            return parsed.GetValue(json)
                ? stdout.WriteLineAsync(JsonSerializer.Serialize(ForecastJson.From(source, forecast, request), Json))
                : ForecastText.WriteForecastAsync(stdout, source, series, forecast, request);
        }));
        return command;
    }

    private static Command Backtest(TextWriter stdout, TextWriter stderr)
    {
        var history = HistoryOption();
        var stream = StreamOption();
        var horizon = ForecastOptionValues.Horizon("The horizon of every origin (default 24h hourly, 7d daily, 4w weekly)");
        var levels = ForecastOptionValues.Levels("Levels to score, e.g. hourly,daily (default: the history's own frequency, and daily too for hourly history)");
        var from = ForecastOptionValues.Date("--from", "The first origin (a date, or a UTC time for hourly); default: 21 origins before --to");
        var to = ForecastOptionValues.Date("--to", "The last origin; default: the last whose horizon ends inside the history");
        var interval = ForecastOptionValues.IntervalLevel();
        var json = JsonOption();

        var command = new Command("backtest", "Rolling-origin backtest: fit up to each origin (one a day), forecast the horizon, pool the errors. Prints the model's WAPE, MASE and interval coverage beside seasonal naive's WAPE on the same origins.");
        command.Options.Add(history);
        command.Options.Add(stream);
        command.Options.Add(horizon);
        command.Options.Add(levels);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(interval);
        command.Options.Add(json);
        command.SetAction((parsed, cancellationToken) => RunAsync(stderr, () =>
        {
            var source = ForecastInput.ReadHistory(parsed.GetValue(history)!, parsed.GetValue(stream)!);
            var wanted = parsed.GetValue(levels) ?? DefaultLevels(source.Frequency);
            var scores = new List<BacktestScore>();
            var forecaster = new VolumeForecaster();
            foreach (var level in wanted)
            {
                var series = ForecastInput.AtLevel(source, level);
                scores.Add(forecaster.Backtest(series, new BacktestRequest
                {
                    Horizon = parsed.GetValue(horizon) ?? DefaultHorizon(level),
                    FirstOrigin = parsed.GetValue(from),
                    LastOrigin = parsed.GetValue(to),
                    IntervalLevel = parsed.GetValue(interval),
                }, cancellationToken));
            }

            return parsed.GetValue(json)
                ? stdout.WriteLineAsync(JsonSerializer.Serialize(BacktestJson.From(source, scores, parsed.GetValue(interval)), Json))
                : ForecastText.WriteBacktestAsync(stdout, source, scores, parsed.GetValue(interval));
        }));
        return command;
    }

    private static Option<string> HistoryOption() => new("--history")
    {
        Description = "The history: a CSV of timestamp,count (ISO 8601 with Z or an offset, or dates), hourly, daily or weekly",
        Required = true,
    };

    private static Option<string> StreamOption() => new("--stream")
    {
        Description = "The stream's name, [a-z0-9._-]{1,64} (default: default); campaigns of other streams are left out",
        DefaultValueFactory = _ => "default",
    };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object instead of text" };

    private static IReadOnlyList<SeriesFrequency> DefaultLevels(SeriesFrequency frequency)
        => frequency == SeriesFrequency.Hourly ? [SeriesFrequency.Hourly, SeriesFrequency.Daily] : [frequency];

    private static TimeSpan DefaultHorizon(SeriesFrequency level) => level switch
    {
        SeriesFrequency.Hourly => TimeSpan.FromHours(24),
        SeriesFrequency.Daily => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(28),
    };

    /// <summary>Runs the work; what the input or request gets wrong is one line on stderr and exit 2.</summary>
    private static async Task<int> RunAsync(TextWriter stderr, Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (Exception e) when (e is ForecastInputException or VolumeHistoryException or ArgumentOutOfRangeException)
        {
            var message = e is ArgumentOutOfRangeException range ? range.Message.Split(" (Parameter", 2)[0] : e.Message;
            await stderr.WriteLineAsync($"error: {message.ReplaceLineEndings(" ")}");
            return MonitorCli.UsageError;
        }
    }
}
