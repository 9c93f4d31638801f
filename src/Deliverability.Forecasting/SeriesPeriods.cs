namespace Deliverability.Forecasting;

/// <summary>Lengths of periods and seasons of each frequency.</summary>
internal static class SeriesPeriods
{
    public static TimeSpan Step(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Hourly => TimeSpan.FromHours(1),
        SeriesFrequency.Daily => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>The start (UTC) of the period holding the timestamp; weeks start on Monday.</summary>
    public static DateTimeOffset PeriodStart(DateTimeOffset timestamp, SeriesFrequency frequency)
    {
        var utc = timestamp.ToUniversalTime();
        return frequency switch
        {
            SeriesFrequency.Hourly => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            SeriesFrequency.Daily => new DateTimeOffset(utc.Date, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7)), TimeSpan.Zero),
        };
    }

    /// <summary>Weekly data repeats the same week last year only with this many weeks: the features need four years
    /// before the first backtest origin, and the backtest two more.</summary>
    public const int WeeksForYearlySeason = 8 * 52;

    /// <summary>
    /// The season seasonal naive repeats: the same hour last week, the same weekday last week; for weekly data the
    /// same week last year with eight years of history, else the last week.
    /// </summary>
    public static int Season(SeriesFrequency frequency, int count) => frequency switch
    {
        SeriesFrequency.Hourly => 168,
        SeriesFrequency.Daily => 7,
        _ => count >= WeeksForYearlySeason ? 52 : 1,
    };

    /// <summary>Periods in a span, which must be a whole number of periods.</summary>
    public static int Count(TimeSpan span, SeriesFrequency frequency)
    {
        var step = Step(frequency);
        if (span <= TimeSpan.Zero || span.Ticks % step.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, $"must be a positive whole number of {VolumeSeries.Describe(frequency)} periods");
        }

        return (int)(span.Ticks / step.Ticks);
    }
}
