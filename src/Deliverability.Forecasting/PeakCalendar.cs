namespace Deliverability.Forecasting;

/// <summary>A day of expected peak volume: "Black Friday", "Cyber Monday", "Christmas week", or a configured name.</summary>
public sealed record PeakDay(DateOnly Date, string Name);

/// <summary>The retail peak days of a year.</summary>
public static class PeakCalendar
{
    /// <summary>The day after the fourth Thursday of November.</summary>
    public static DateOnly BlackFriday(int year) => throw new NotImplementedException();

    public static DateOnly CyberMonday(int year) => throw new NotImplementedException();

    public static IReadOnlyList<PeakDay> PeakDays(int year, IEnumerable<PeakDay>? extra = null) => throw new NotImplementedException();
}
