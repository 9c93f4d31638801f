using System.CommandLine;
using System.Globalization;
using Deliverability.Forecasting;

namespace Deliverability.Cli.Forecasts;

/// <summary>
/// Options of <c>monitor forecast</c> that take a horizon, a level, a date or an interval level: parsed once by the
/// parser, a bad value is one usage error naming the option.
/// </summary>
internal static class ForecastOptionValues
{
    /// <summary>A horizon: <c>24h</c>, <c>7d</c>, <c>2w</c>.</summary>
    public static Option<TimeSpan?> Horizon(string description) => new("--horizon")
    {
        Description = description,
        CustomParser = result =>
        {
            if (NumberOptions.LastToken(result) is not { } text)
            {
                return null;
            }

            if (!TryParseHorizon(text, out var horizon))
            {
                result.AddError($"--horizon: '{text}' is not a horizon such as 24h, 7d or 2w (at most 104w)");
                return null;
            }

            return horizon;
        },
    };

    public static Option<SeriesFrequency?> Level(string description) => new("--level")
    {
        Description = description,
        CustomParser = result =>
        {
            if (NumberOptions.LastToken(result) is not { } text)
            {
                return null;
            }

            var level = ParseLevel(text);
            if (level is null)
            {
                result.AddError($"--level: '{text}' is not hourly, daily or weekly");
            }

            return level;
        },
    };

    /// <summary>Levels of a backtest: <c>hourly,daily</c> or one of them.</summary>
    public static Option<IReadOnlyList<SeriesFrequency>?> Levels(string description) => new("--level")
    {
        Description = description,
        CustomParser = result =>
        {
            if (NumberOptions.LastToken(result) is not { } text)
            {
                return null;
            }

            var levels = new List<SeriesFrequency>();
            foreach (var word in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (ParseLevel(word) is not { } level)
                {
                    result.AddError($"--level: '{word}' is not hourly, daily or weekly");
                    return null;
                }

                if (!levels.Contains(level))
                {
                    levels.Add(level);
                }
            }

            if (levels.Count == 0)
            {
                result.AddError("--level: give hourly, daily, weekly, or several separated by commas");
                return null;
            }

            return levels;
        },
    };

    public static Option<DateTimeOffset?> Date(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (NumberOptions.LastToken(result) is not { } text)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp)
                && (text.EndsWith('Z') || text[^6] is '+' or '-'))
            {
                return timestamp;
            }

            result.AddError($"{name}: '{text}' is not a date (2011-10-03) or a UTC time (2011-10-03T09:00Z)");
            return null;
        },
    };

    public static Option<double> IntervalLevel() => new("--interval")
    {
        Description = "The prediction interval's level, more than 0 and less than 1 (default 0.9)",
        DefaultValueFactory = _ => 0.9,
        CustomParser = result =>
        {
            if (NumberOptions.LastToken(result) is not { } text)
            {
                return 0.9;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var level) || !(level > 0 && level < 1))
            {
                result.AddError($"--interval: '{text}' is not a level between 0 and 1 such as 0.9");
                return 0.9;
            }

            return level;
        },
    };

    /// <summary>A peak day of the planner's own: <c>2026-11-11</c> or <c>2026-11-11=Singles' Day</c>.</summary>
    public static Option<PeakDay[]> PeakDays() => new("--peak-day")
    {
        Description = "An extra peak day the model marks, DATE or DATE=NAME (repeatable), beside Black Friday, Cyber Monday and Christmas week",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var days = new List<PeakDay>();
            foreach (var token in result.Tokens)
            {
                var text = token.Value;
                var equals = text.IndexOf('=');
                var dateText = equals < 0 ? text : text[..equals];
                var name = equals < 0 ? "Peak day" : text[(equals + 1)..].Trim();
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || name.Length is 0 or > 64)
                {
                    result.AddError($"--peak-day: '{text}' is not DATE or DATE=NAME (2026-11-11=Singles' Day)");
                    return [];
                }

                days.Add(new PeakDay(date, name));
            }

            if (days.Count > 366)
            {
                result.AddError("--peak-day: at most 366 extra peak days");
                return [];
            }

            return [.. days];
        },
    };

    private static bool TryParseHorizon(string text, out TimeSpan horizon)
    {
        horizon = default;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return false;
        }

        horizon = char.ToLowerInvariant(text[^1]) switch
        {
            'h' when count <= 24 * 7 * 104 => TimeSpan.FromHours(count),
            'd' when count <= 7 * 104 => TimeSpan.FromDays(count),
            'w' when count <= 104 => TimeSpan.FromDays(7 * count),
            _ => TimeSpan.Zero,
        };
        return horizon > TimeSpan.Zero;
    }

    /// <summary><c>24h</c> up to two days, <c>14d</c> beyond.</summary>
    public static string FormatHorizon(TimeSpan horizon)
        => horizon >= TimeSpan.FromDays(2) && horizon.Ticks % TimeSpan.TicksPerDay == 0
            ? $"{horizon.Days}d"
            : $"{(int)horizon.TotalHours}h";

    public static string FormatLevel(SeriesFrequency level) => level.ToString().ToLowerInvariant();

    private static SeriesFrequency? ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "hourly" => SeriesFrequency.Hourly,
        "daily" => SeriesFrequency.Daily,
        "weekly" => SeriesFrequency.Weekly,
        _ => null,
    };
}
