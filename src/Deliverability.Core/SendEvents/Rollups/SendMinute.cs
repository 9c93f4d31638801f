namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// A rollup's minute as whole minutes since the Unix epoch (UTC): both databases compare, group and divide it as a
/// number (an hour is <c>minute / 60</c>), where a stored <see cref="DateTimeOffset"/> on SQLite could only be compared.
/// </summary>
public static class SendMinute
{
    public static long Of(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / 60.0);

    public static DateTimeOffset Start(long minute) => DateTimeOffset.FromUnixTimeSeconds(minute * 60);

    /// <summary>
    /// The whole minutes of the last <paramref name="length"/> up to and including the minute of <paramref name="now"/>
    /// (the readers' windows end before their <c>to</c>): a live window that shows the current minute as it fills.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset now, TimeSpan length)
    {
        var to = Start(Of(now) + 1);
        return (to - TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling(length.TotalMinutes))), to);
    }
}
