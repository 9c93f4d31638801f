namespace Deliverability.Core.Readiness;

/// <summary>The retail peak days of one year: Black Friday (the day after US Thanksgiving) and Cyber Monday.</summary>
public sealed record PeakDays(DateOnly BlackFriday, DateOnly CyberMonday)
{
    /// <summary>The peak days of <paramref name="year"/>: Thanksgiving is the FOURTH Thursday of November (not the last).</summary>
    public static PeakDays Of(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        var blackFriday = firstThursday.AddDays(21 + 1);
        return new PeakDays(blackFriday, blackFriday.AddDays(3));
    }

    /// <summary>
    /// The peak days still to come on <paramref name="today"/>: this year's until Cyber Monday has passed (so on Black
    /// Friday itself the countdown says "today", not "in a year"), then next year's.
    /// </summary>
    public static PeakDays Upcoming(DateOnly today)
    {
        var thisYear = Of(today.Year);
        return today <= thisYear.CyberMonday ? thisYear : Of(today.Year + 1);
    }
}
