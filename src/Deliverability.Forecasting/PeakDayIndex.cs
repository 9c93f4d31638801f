namespace Deliverability.Forecasting;

/// <summary>The peak days the features mark: the calendar's own and the configured extra dates.</summary>
internal sealed class PeakDayIndex
{
    private readonly Dictionary<DateOnly, PeakKind> _kinds = [];
    private readonly Dictionary<int, DateOnly> _blackFridays = [];

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

        var blackFriday = BlackFriday(date.Year);
        if (date == blackFriday)
        {
            return PeakKind.BlackFriday;
        }

        if (date == blackFriday.AddDays(3))
        {
            return PeakKind.CyberMonday;
        }

        return date.Month == 12 && date.Day is >= 18 and <= 24 ? PeakKind.ChristmasWeek : PeakKind.None;
    }

    /// <summary>Days from this year's Black Friday, clipped to a fortnight either side.</summary>
    public int DaysFromBlackFriday(DateOnly date)
        => Math.Clamp(date.DayNumber - BlackFriday(date.Year).DayNumber, -15, 15);

    /// <summary>Days left to Christmas Day within the eight weeks before it, else -1.</summary>
    public static int DaysToChristmas(DateOnly date)
    {
        var days = new DateOnly(date.Year, 12, 25).DayNumber - date.DayNumber;
        return days is >= 0 and <= 56 ? days : -1;
    }

    private DateOnly BlackFriday(int year)
    {
        if (!_blackFridays.TryGetValue(year, out var day))
        {
            day = PeakCalendar.BlackFriday(year);
            _blackFridays[year] = day;
        }

        return day;
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
