namespace Deliverability.Forecasting;

/// <summary>A day of expected peak volume: "Black Friday", "Cyber Monday", "Christmas week", or a configured name.</summary>
public sealed record PeakDay(DateOnly Date, string Name);

/// <summary>The retail peak days of a year.</summary>
public static class PeakCalendar
{
    public const string BlackFridayName = "Black Friday";
    public const string CyberMondayName = "Cyber Monday";
    public const string ChristmasWeekName = "Christmas week";

    // The seven days up to Christmas Eve.
    private const int ChristmasWeekFirstDay = 18;
    private const int ChristmasEve = 24;

    /// <summary>The day after the fourth Thursday of November.</summary>
    public static DateOnly BlackFriday(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays((3 * 7) + 1);
    }

    /// <summary>The Monday after Black Friday.</summary>
    public static DateOnly CyberMonday(int year) => BlackFriday(year).AddDays(3);

    /// <summary>The seven days of December up to Christmas Eve.</summary>
    internal static bool IsChristmasWeek(DateOnly date) => date.Month == 12 && date.Day is >= ChristmasWeekFirstDay and <= ChristmasEve;

    /// <summary>Black Friday, Cyber Monday, the seven days up to Christmas Eve, and the extra days of that year, in date order.</summary>
    public static IReadOnlyList<PeakDay> PeakDays(int year, IEnumerable<PeakDay>? extra = null)
    {
        var days = new List<PeakDay>
        {
            new(BlackFriday(year), BlackFridayName),
            new(CyberMonday(year), CyberMondayName),
        };
        for (var day = ChristmasWeekFirstDay; day <= ChristmasEve; day++)
        {
            days.Add(new PeakDay(new DateOnly(year, 12, day), ChristmasWeekName));
        }

        if (extra is not null)
        {
            days.AddRange(extra.Where(d => d.Date.Year == year));
        }

        return days.OrderBy(d => d.Date).ToList();
    }
}
