namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// The fixed buckets of a delivery-latency histogram. Every rollup row keeps one count per bucket, so the rows of an
/// hour or a day add up to the histogram of the hour or the day, and its p50/p95 are read from the sum (no raw
/// latencies kept). The edges grow roughly by doubling: a percentile is exact to its bucket, interpolated inside it.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>The upper edge of each bucket but the last, in milliseconds; the last bucket holds everything above an hour.</summary>
    public static IReadOnlyList<long> UpperEdgesMs { get; } =
        [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];

    public static int Count => UpperEdgesMs.Count + 1;

    public static int IndexOf(long latencyMs)
    {
        for (var i = 0; i < UpperEdgesMs.Count; i++)
        {
            if (latencyMs < UpperEdgesMs[i])
            {
                return i;
            }
        }

        return UpperEdgesMs.Count;
    }

    /// <summary>The <paramref name="quantile"/> (0.5, 0.95) of <paramref name="counts"/>, linear inside its bucket; null without samples.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<long> counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] > 0 && below + counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : UpperEdgesMs[i - 1];
                if (i >= UpperEdgesMs.Count)
                {
                    return TimeSpan.FromMilliseconds(lower); // open-ended: at least an hour
                }

                var share = Math.Clamp((rank - below) / counts[i], 0, 1);
                return TimeSpan.FromMilliseconds(lower + (share * (UpperEdgesMs[i] - lower)));
            }

            below += counts[i];
        }

        return TimeSpan.FromMilliseconds(UpperEdgesMs[^1]);
    }
}
