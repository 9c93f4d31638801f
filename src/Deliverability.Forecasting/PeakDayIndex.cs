namespace Deliverability.Forecasting;

/// <summary>The peak days the features mark: the calendar's own and the configured extra dates.</summary>
internal sealed class PeakDayIndex
{
    private readonly Dictionary<DateOnly, PeakKind> _kinds = [];
    private readonly Dictionary<int, (DateOnly BlackFriday, DateOnly CyberMonday)> _years = [];

    public PeakDayIndex(IEnumerable<PeakDay> extra)
    {
        foreach (var day in extra)
        {
            _kinds[day.Date] = PeakKind.Configured;
        }
    }

    public PeakKind Kind(DateOnly date)
    {
        if (_kinds.TryGetValue(date, out var configured))
        {
            return configured;
        }

        var year = Year(date.Year);
        if (date == year.BlackFriday)
        {
            return PeakKind.BlackFriday;
        }

        if (date == year.CyberMonday)
        {
            return PeakKind.CyberMonday;
        }

        return PeakCalendar.IsChristmasWeek(date) ? PeakKind.ChristmasWeek : PeakKind.None;
    }

    /// <summary>Days from this year's Black Friday, clipped to a fortnight either side.</summary>
    public int DaysFromBlackFriday(DateOnly date)
        => Math.Clamp(date.DayNumber - Year(date.Year).BlackFriday.DayNumber, -15, 15);

    /// <summary>Days left to Christmas Day within the eight weeks before it, else -1.</summary>
    public static int DaysToChristmas(DateOnly date)
    {
        var days = new DateOnly(date.Year, 12, 25).DayNumber - date.DayNumber;
        return days is >= 0 and <= 56 ? days : -1;
    }

    // The calendar's own days of the year, worked out once: every training row asks.
    private (DateOnly BlackFriday, DateOnly CyberMonday) Year(int year)
    {
        if (!_years.TryGetValue(year, out var days))
        {
            days = (PeakCalendar.BlackFriday(year), PeakCalendar.CyberMonday(year));
            _years[year] = days;
        }

        return days;
    }
}

internal enum PeakKind
{
    None = 0,
    BlackFriday = 1,
    CyberMonday = 2,
    ChristmasWeek = 3,
    Configured = 4,
}
