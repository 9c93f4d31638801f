namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// A rollup's minute as whole minutes since the Unix epoch (UTC): both databases compare, group and divide it as a
/// number (an hour is <c>minute / 60</c>), where a stored <see cref="DateTimeOffset"/> on SQLite could only be compared.
/// </summary>
public static class SendMinute
{
    public static long Of(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / 60.0);

    public static DateTimeOffset Start(long minute) => DateTimeOffset.FromUnixTimeSeconds(minute * 60);
}
