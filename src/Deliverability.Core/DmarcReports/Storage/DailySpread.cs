namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// Spreads a count over the UTC days an interval covers, in proportion to the seconds of the interval in each day, in
/// whole messages that add up to the count. The interval is [begin, end): a report of 00:00:00 to 23:59:59, or to the
/// next midnight, is one day. Always UTC: the host's time zone never moves a message to another day.
/// </summary>
public static class DailySpread
{
    public static IEnumerable<(DateOnly Day, long Count)> Spread(DateTimeOffset begin, DateTimeOffset end, long count)
    {
        var from = begin.UtcDateTime;
        var to = end.UtcDateTime;
        var total = (long)(to - from).TotalSeconds;
        var firstDay = DateOnly.FromDateTime(from);
        if (total <= 0)
        {
            yield return (firstDay, count);
            yield break;
        }

        long covered = 0, given = 0;
        for (var day = firstDay; day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) < to; day = day.AddDays(1))
        {
            var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var start = dayStart > from ? dayStart : from;
            var stop = dayStart.AddDays(1) < to ? dayStart.AddDays(1) : to;
            covered += (long)(stop - start).TotalSeconds;
            // Cumulative rounding: each day gets the rounded running share minus what earlier days got, so the sum is exact.
            var share = (long)Math.Round((decimal)count * covered / total, MidpointRounding.AwayFromZero) - given;
            given += share;
            if (share > 0)
            {
                yield return (day, share);
            }
        }
    }
}
