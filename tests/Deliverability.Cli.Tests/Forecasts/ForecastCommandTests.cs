using System.Globalization;
using System.Text.Json;
using Deliverability.Cli;

namespace Deliverability.Cli.Tests.Forecasts;

public sealed class ForecastCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-forecast-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Forecast_prints_the_history_the_model_and_why_the_backtest_the_peak_and_a_table()
    {
        var history = Write("daily.csv", DailyHistory(140));

        var (exit, output, error) = await RunAsync("forecast", "--history", history, "--stream", "marketing", "--horizon", "14d");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("History    marketing: 140 daily points, 2026-01-05 Mon to 2026-05-24 Sun", lines[0], StringComparison.Ordinal);
        Assert.Equal("Frequency  daily (inferred from the timestamps)", lines[1]);
        Assert.Equal("Repairs    none", lines[2]);
        Assert.Matches("^Model      (lightgbm: its backtest WAPE .* beat seasonal naive's|seasonal naive: seasonal naive's backtest WAPE)", lines[3]);
        Assert.Matches(@"^Backtest   WAPE \d+\.\d%, MASE \d+\.\d\d, 90% interval coverage \d+\.\d%; seasonal naive WAPE \d+\.\d% \(21 origins, 14d horizon\)$", lines[5]);
        Assert.Matches(@"^Peak       2026-0[56]-\d\d \w\w\w: [\d,.]+ \(90% interval [\d,.]+ to [\d,.]+\)$", lines[6]);
        Assert.Equal("Period (UTC)     Forecast      Lower      Upper", lines[7]);
        Assert.Equal(14, lines.Length - 8);
        Assert.StartsWith("2026-05-25 Mon", lines[8], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forecast_json_has_the_points_the_interval_the_model_and_its_backtest()
    {
        var history = Write("daily.csv", DailyHistory(140));

        var (exit, output, _) = await RunAsync("forecast", "--history", history, "--horizon", "7d", "--interval", "0.8", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("default", root.GetProperty("stream").GetString());
        Assert.Equal("daily", root.GetProperty("level").GetString());
        Assert.Equal("7d", root.GetProperty("horizon").GetString());
        Assert.Equal(0.8, root.GetProperty("intervalLevel").GetDouble());
        Assert.Equal(140, root.GetProperty("history").GetProperty("points").GetInt32());
        var model = root.GetProperty("model").GetString();
        Assert.Contains(model, new[] { "lightgbm", "seasonal-naive" });
        Assert.Equal(model == "seasonal-naive", root.GetProperty("fallbackReason").ValueKind == JsonValueKind.String);
        var backtest = root.GetProperty("backtest");
        Assert.True(backtest.GetProperty("wape").GetDouble() <= backtest.GetProperty("seasonalNaive").GetProperty("wape").GetDouble());
        var points = root.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(7, points.Count);
        Assert.Equal(Start.AddDays(140), points[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.All(points, p => Assert.True(p.GetProperty("lower").GetDouble() <= p.GetProperty("predicted").GetDouble() && p.GetProperty("predicted").GetDouble() <= p.GetProperty("upper").GetDouble()));
    }

    [Fact]
    public async Task An_hourly_history_forecast_daily_says_it_was_summed()
    {
        var history = Write("hourly.csv", HourlyHistory(20 * 7));

        var (exit, output, _) = await RunAsync("forecast", "--history", history, "--level", "daily", "--horizon", "7d");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Frequency  hourly (inferred from the timestamps)", lines[1]);
        Assert.Equal("Level      daily: 140 periods summed from the hourly history", lines[3]);
        Assert.StartsWith("Version    lightgbm/v1/daily/s7/h7/", lines[5], StringComparison.Ordinal);
        Assert.Equal(7, lines.SkipWhile(l => !l.StartsWith("Period (UTC)", StringComparison.Ordinal)).Count() - 1);
    }

    [Fact]
    public async Task Planned_campaigns_of_the_stream_add_their_volume_on_their_date()
    {
        var history = Write("daily.csv", DailyHistory(140));
        var campaigns = Write("campaigns.csv", "date,stream,volume\n2026-05-27,marketing,5000\n2026-05-27,transactional,90000\n");

        var (_, plain, _) = await RunAsync("forecast", "--history", history, "--stream", "marketing", "--horizon", "7d", "--json");
        var (exit, planned, _) = await RunAsync("forecast", "--history", history, "--stream", "marketing", "--horizon", "7d", "--campaigns", campaigns, "--json");

        Assert.Equal(0, exit);
        var before = Predicted(plain);
        var after = Predicted(planned);
        Assert.Equal(5000, after[2] - before[2], 2);
        Assert.Equal(before.Where((_, i) => i != 2), after.Where((_, i) => i != 2));
        using var json = JsonDocument.Parse(planned);
        Assert.Equal(1, json.RootElement.GetProperty("campaigns").GetInt32());
    }

    [Fact]
    public async Task Backtest_json_names_wape_mase_and_coverage_per_level_and_horizon_beside_seasonal_naive()
    {
        var history = Write("hourly.csv", HourlyHistory(20 * 7));

        var (exit, output, error) = await RunAsync("forecast", "backtest", "--history", history, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var scores = json.RootElement.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(["hourly", "daily"], scores.Select(s => s.GetProperty("level").GetString()));
        Assert.Equal(["24h", "7d"], scores.Select(s => s.GetProperty("horizon").GetString()));
        Assert.All(scores, s =>
        {
            Assert.Equal(21, s.GetProperty("origins").GetInt32());
            Assert.Equal("lightgbm", s.GetProperty("model").GetString());
            Assert.InRange(s.GetProperty("wape").GetDouble(), 0.0, 1.0);
            Assert.True(s.GetProperty("mase").GetDouble() > 0);
            Assert.InRange(s.GetProperty("coverage").GetDouble(), 0.0, 1.0);
            Assert.InRange(s.GetProperty("seasonalNaive").GetProperty("wape").GetDouble(), 0.0, 1.0);
        });
    }

    [Fact]
    public async Task Backtest_text_is_a_table_of_the_scores_between_the_given_origins()
    {
        var history = Write("daily.csv", DailyHistory(140));

        var (exit, output, _) = await RunAsync("forecast", "backtest", "--history", history, "--from", "2026-04-20", "--to", "2026-05-10", "--horizon", "7d");

        Assert.Equal(0, exit);
        Assert.Contains("Level    Horizon  Origins Model        WAPE   MASE 90% cover  Naive WAPE", output, StringComparison.Ordinal);
        Assert.Matches(@"daily    7d            21 lightgbm +\d+\.\d% +\d+\.\d\d +\d+\.\d% +\d+\.\d%", output);
    }

    [Theory]
    [InlineData("2026-01-05,10\n2026-01-06,12\n2026-01-07,-3\n", "error: --history h.csv: line 3: the count -3 is negative")]
    [InlineData("2026-01-05,10\n2026-01-05,12\n", "error: --history h.csv: line 2: the timestamp 2026-01-05T00:00:00.0000000+00:00 appears twice (also on line 1)")]
    [InlineData("2026-01-05T00:00:00,10\n", "error: --history h.csv: line 1: the timestamp '2026-01-05T00:00:00' has no time zone: end it with Z or an offset such as +01:00")]
    [InlineData("2026-01-05,10\n2026-01-06,12\n", "error: the history is too short: a forecast 14 days ahead needs at least 85 days of history, it has 2")]
    public async Task A_history_that_cannot_be_used_is_one_line_and_exit_2(string csv, string message)
    {
        var history = Write("h.csv", csv);

        var (exit, output, error) = await RunAsync("forecast", "--history", history);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(message, error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--horizon", "7x", "error: --horizon: '7x' is not a horizon such as 24h, 7d or 2w (at most 104w)")]
    [InlineData("--interval", "1.5", "error: --interval: '1.5' is not a level between 0 and 1 such as 0.9")]
    [InlineData("--level", "monthly", "error: --level: 'monthly' is not hourly, daily or weekly")]
    [InlineData("--peak-day", "2026-13-01", "error: --peak-day: '2026-13-01' is not DATE or DATE=NAME (2026-11-11=Singles' Day)")]
    public async Task A_bad_option_value_is_a_usage_error(string option, string value, string message)
    {
        var history = Write("daily.csv", DailyHistory(140));

        var (exit, _, error) = await RunAsync("forecast", "--history", history, option, value);

        Assert.Equal(2, exit);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_missing_file_a_finer_level_a_long_horizon_and_a_bad_campaign_are_one_line_each()
    {
        var daily = Write("daily.csv", DailyHistory(140));
        var campaigns = Write("c.csv", "2026-05-27,marketing,lots\n");

        Assert.Equal((2, "error: --history: no such file 'missing.csv'"), await ErrorAsync("forecast", "--history", "missing.csv"));
        Assert.Equal((2, "error: --level hourly: the history is daily and cannot be split into finer periods"), await ErrorAsync("forecast", "--history", daily, "--level", "hourly"));
        Assert.Equal((2, "error: daily forecasts reach at most 366 days ahead"), await ErrorAsync("forecast", "--history", daily, "--horizon", "400d"));
        Assert.Equal((2, "error: --campaigns c.csv: line 1: the volume 'lots' is not a number of messages, 0 or more"), await ErrorAsync("forecast", "--history", daily, "--campaigns", campaigns));
        Assert.Equal((2, "error: the first origin must leave enough history before it: 2026-03-09T00:00Z or later"), await ErrorAsync("forecast", "backtest", "--history", daily, "--from", "2026-01-10"));
    }

    /// <summary>An argument starting with '@' is a file name like any other, never a response file to read.</summary>
    [Theory]
    [InlineData("forecast", "--history", "@history.csv")]
    [InlineData("forecast", "backtest", "--history", "@history.csv")]
    public async Task An_at_argument_is_a_value_never_a_response_file(params string[] args)
    {
        var (exit, error) = await ErrorAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("error: --history: no such file '@history.csv'", error);
    }

    private async Task<(int Exit, string Error)> ErrorAsync(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);
        return (exit, error.TrimEnd('\n'));
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString().Replace("\r", "", StringComparison.Ordinal));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static double[] Predicted(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("predicted").GetDouble()).ToArray();
    }

    /// <summary>A growing weekly pattern with noise: quiet Sundays, busy mid-week.</summary>
    private static string DailyHistory(int days)
    {
        double[] weekday = [0.4, 1.0, 1.2, 1.3, 1.2, 0.9, 0.3]; // Monday first
        var random = new Random(3);
        var lines = Enumerable.Range(0, days).Select(d =>
        {
            var count = Math.Round(1000 * (1 + (d * 0.004)) * weekday[d % 7] * (0.9 + (random.NextDouble() * 0.2)));
            return string.Create(CultureInfo.InvariantCulture, $"{Start.AddDays(d):yyyy-MM-dd},{count}");
        });
        return "timestamp,count\n" + string.Join('\n', lines) + "\n";
    }

    private static string HourlyHistory(int days)
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, days * 24).Select(h =>
        {
            var hour = h % 24;
            var daytime = hour is >= 8 and <= 20 ? 1.0 : 0.1;
            var count = Math.Round(40 * daytime * (1 + (h / 24 * 0.003)) * (0.8 + (random.NextDouble() * 0.4)));
            return string.Create(CultureInfo.InvariantCulture, $"{Start.AddHours(h):yyyy-MM-ddTHH:mm:ssZ},{count}");
        });
        return string.Join('\n', lines) + "\n";
    }
}
