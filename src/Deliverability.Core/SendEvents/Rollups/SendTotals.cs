using System.Linq.Expressions;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// Events of each kind and the latency histogram, for any set of rollups (a minute, an hour, a day, one key or many).
/// A stored rollup (<see cref="SendRollupRow"/>) is one with its key; the histogram is one column per bucket there.
/// </summary>
public class SendTotals
{
    public long Accepted { get; set; }

    public long Delivered { get; set; }

    public long Deferred { get; set; }

    public long SoftBounces { get; set; }

    public long HardBounces { get; set; }

    public long Blocked { get; set; }

    public long Complaints { get; set; }

    public long Unsubscribes { get; set; }

    public long Opens { get; set; }

    public long Clicks { get; set; }

    public long Dropped { get; set; }

    public long CriticalFailures { get; set; }

    /// <summary>Bucket <c>i</c> of <see cref="LatencyBuckets"/> is <c>Latency{i:00}</c>.</summary>
    public long Latency00 { get; set; }

    public long Latency01 { get; set; }

    public long Latency02 { get; set; }

    public long Latency03 { get; set; }

    public long Latency04 { get; set; }

    public long Latency05 { get; set; }

    public long Latency06 { get; set; }

    public long Latency07 { get; set; }

    public long Latency08 { get; set; }

    public long Latency09 { get; set; }

    public long Latency10 { get; set; }

    public long Latency11 { get; set; }

    public long Latency12 { get; set; }

    public long Latency13 { get; set; }

    public long Latency14 { get; set; }

    public long Latency15 { get; set; }

    /// <summary>One count per <see cref="LatencyBuckets"/> bucket.</summary>
    public long[] Latency => [Latency00, Latency01, Latency02, Latency03, Latency04, Latency05, Latency06, Latency07, Latency08, Latency09, Latency10, Latency11, Latency12, Latency13, Latency14, Latency15];

    public long Bounces => SoftBounces + HardBounces;

    /// <summary>Final outcomes of delivery attempts: delivered, bounced or blocked (the base of the delivery, bounce and block rates).</summary>
    public long Outcomes => Delivered + SoftBounces + HardBounces + Blocked;

    /// <summary>Messages that left (or were refused before leaving): the volume of a stream.</summary>
    public long Volume => Outcomes + Dropped;

    public long LatencySamples => Latency.Sum();

    public double? DeliveryRate => Share(Delivered, Outcomes);

    public double? BounceRate => Share(Bounces, Outcomes);

    public double? BlockRate => Share(Blocked, Outcomes);

    /// <summary>Deferrals per attempt (a deferral is an attempt that will be retried).</summary>
    public double? DeferralRate => Share(Deferred, Outcomes + Deferred);

    /// <summary>Complaints per delivered message, as mailbox providers count it.</summary>
    public double? ComplaintRate => Share(Complaints, Delivered);

    public TimeSpan? LatencyP50 => LatencyBuckets.Percentile(Latency, 0.50);

    public TimeSpan? LatencyP95 => LatencyBuckets.Percentile(Latency, 0.95);

    /// <summary>Counts one event.</summary>
    public void Count(SendEventKind kind, bool critical, long? latencyMs)
    {
        switch (kind)
        {
            case SendEventKind.Accepted: Accepted++; break;
            case SendEventKind.Delivered: Delivered++; break;
            case SendEventKind.Deferred: Deferred++; break;
            case SendEventKind.SoftBounce: SoftBounces++; break;
            case SendEventKind.HardBounce: HardBounces++; break;
            case SendEventKind.Blocked: Blocked++; break;
            case SendEventKind.Complaint: Complaints++; break;
            case SendEventKind.Unsubscribe: Unsubscribes++; break;
            case SendEventKind.Open: Opens++; break;
            case SendEventKind.Click: Clicks++; break;
            case SendEventKind.Dropped: Dropped++; break;
        }

        if (critical && IsFailure(kind))
        {
            CriticalFailures++;
        }

        if (kind == SendEventKind.Delivered && latencyMs is >= 0 and { } ms)
        {
            AddLatency(LatencyBuckets.IndexOf(ms), 1);
        }
    }

    /// <summary>Whether an event of <paramref name="kind"/> means a message failed for its recipient (what a critical message must not do).</summary>
    public static bool IsFailure(SendEventKind kind) =>
        kind is SendEventKind.SoftBounce or SendEventKind.HardBounce or SendEventKind.Blocked or SendEventKind.Complaint or SendEventKind.Dropped;

    public void Add(SendTotals other)
    {
        Accepted += other.Accepted;
        Delivered += other.Delivered;
        Deferred += other.Deferred;
        SoftBounces += other.SoftBounces;
        HardBounces += other.HardBounces;
        Blocked += other.Blocked;
        Complaints += other.Complaints;
        Unsubscribes += other.Unsubscribes;
        Opens += other.Opens;
        Clicks += other.Clicks;
        Dropped += other.Dropped;
        CriticalFailures += other.CriticalFailures;
        var latency = other.Latency;
        for (var i = 0; i < latency.Length; i++)
        {
            AddLatency(i, latency[i]);
        }
    }

    public static SendTotals Sum(IEnumerable<SendTotals> totals)
    {
        var sum = new SendTotals();
        foreach (var t in totals)
        {
            sum.Add(t);
        }

        return sum;
    }

    private void AddLatency(int bucket, long count)
    {
        switch (bucket)
        {
            case 0: Latency00 += count; break;
            case 1: Latency01 += count; break;
            case 2: Latency02 += count; break;
            case 3: Latency03 += count; break;
            case 4: Latency04 += count; break;
            case 5: Latency05 += count; break;
            case 6: Latency06 += count; break;
            case 7: Latency07 += count; break;
            case 8: Latency08 += count; break;
            case 9: Latency09 += count; break;
            case 10: Latency10 += count; break;
            case 11: Latency11 += count; break;
            case 12: Latency12 += count; break;
            case 13: Latency13 += count; break;
            case 14: Latency14 += count; break;
            case 15: Latency15 += count; break;
            default: throw new ArgumentOutOfRangeException(nameof(bucket));
        }
    }

    private static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;
}

/// <summary>The sums of a group of rollup rows, as the database computes them (one <c>SUM</c> per column).</summary>
internal static class RollupSums
{
    public static Expression<Func<IGrouping<TKey, SendRollupRow>, Summed<TKey>>> Of<TKey>() => g => new Summed<TKey>
    {
        Key = g.Key,
        Accepted = g.Sum(r => r.Accepted),
        Delivered = g.Sum(r => r.Delivered),
        Deferred = g.Sum(r => r.Deferred),
        SoftBounces = g.Sum(r => r.SoftBounces),
        HardBounces = g.Sum(r => r.HardBounces),
        Blocked = g.Sum(r => r.Blocked),
        Complaints = g.Sum(r => r.Complaints),
        Unsubscribes = g.Sum(r => r.Unsubscribes),
        Opens = g.Sum(r => r.Opens),
        Clicks = g.Sum(r => r.Clicks),
        Dropped = g.Sum(r => r.Dropped),
        CriticalFailures = g.Sum(r => r.CriticalFailures),
        Latency00 = g.Sum(r => r.Latency00),
        Latency01 = g.Sum(r => r.Latency01),
        Latency02 = g.Sum(r => r.Latency02),
        Latency03 = g.Sum(r => r.Latency03),
        Latency04 = g.Sum(r => r.Latency04),
        Latency05 = g.Sum(r => r.Latency05),
        Latency06 = g.Sum(r => r.Latency06),
        Latency07 = g.Sum(r => r.Latency07),
        Latency08 = g.Sum(r => r.Latency08),
        Latency09 = g.Sum(r => r.Latency09),
        Latency10 = g.Sum(r => r.Latency10),
        Latency11 = g.Sum(r => r.Latency11),
        Latency12 = g.Sum(r => r.Latency12),
        Latency13 = g.Sum(r => r.Latency13),
        Latency14 = g.Sum(r => r.Latency14),
        Latency15 = g.Sum(r => r.Latency15),
    };
}

/// <summary>One group's sums as read from the database.</summary>
internal sealed class Summed<TKey> : SendTotals
{
    public required TKey Key { get; init; }
}
