namespace Deliverability.Forecasting;

/// <summary>The bounds that keep a forecast's time and memory in check, whatever the input.</summary>
public static class ForecastLimits
{
    /// <summary>At most this many backtest origins.</summary>
    public const int MaxOrigins = 400;

    /// <summary>Origins of the backtest a forecast chooses its model by (one a day, or one a week for weekly data).</summary>
    public const int SelectionOrigins = 21;

    /// <summary>Origins before the scored ones whose residuals give the first scored origins their intervals.</summary>
    public const int WarmUpOrigins = 14;

    /// <summary>The intervals come from the residuals of this many latest origins.</summary>
    public const int CalibrationOrigins = 14;

    internal const int MinimumTrainingRows = 28;

    /// <summary>A period's volume over the recent level is capped here, so a restart after a closure cannot explode the fit.</summary>
    internal const double MaxRatioToLevel = 50;

    /// <summary>The longest horizon: 31 days of hours, a year of days, two years of weeks.</summary>
    public static TimeSpan MaxHorizon(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Hourly => TimeSpan.FromDays(31),
        SeriesFrequency.Daily => TimeSpan.FromDays(366),
        _ => TimeSpan.FromDays(7 * 104),
    };

    /// <summary>Each fit uses at most the most recent two years of hours, or ten years of days or weeks.</summary>
    public static int MaxTrainingPeriods(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Hourly => 2 * 8784,
        SeriesFrequency.Daily => 10 * 366,
        _ => 10 * 53,
    };
}
