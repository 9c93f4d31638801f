using System.Linq.Expressions;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>Events of each kind and the latency histogram, for any set of rollups (a minute, an hour, a day, one key or many).</summary>
public sealed class SendTotals
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

    /// <summary>One count per <see cref="LatencyBuckets"/> bucket.</summary>
    public long[] Latency { get; init; } = new long[LatencyBuckets.Count];

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
            Latency[LatencyBuckets.IndexOf(ms)]++;
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
        for (var i = 0; i < Latency.Length; i++)
        {
            Latency[i] += other.Latency[i];
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
internal sealed class Summed<TKey>
{
    public required TKey Key { get; init; }

    public long Accepted { get; init; }

    public long Delivered { get; init; }

    public long Deferred { get; init; }

    public long SoftBounces { get; init; }

    public long HardBounces { get; init; }

    public long Blocked { get; init; }

    public long Complaints { get; init; }

    public long Unsubscribes { get; init; }

    public long Opens { get; init; }

    public long Clicks { get; init; }

    public long Dropped { get; init; }

    public long CriticalFailures { get; init; }

    public long Latency00 { get; init; }

    public long Latency01 { get; init; }

    public long Latency02 { get; init; }

    public long Latency03 { get; init; }

    public long Latency04 { get; init; }

    public long Latency05 { get; init; }

    public long Latency06 { get; init; }

    public long Latency07 { get; init; }

    public long Latency08 { get; init; }

    public long Latency09 { get; init; }

    public long Latency10 { get; init; }

    public long Latency11 { get; init; }

    public long Latency12 { get; init; }

    public long Latency13 { get; init; }

    public long Latency14 { get; init; }

    public long Latency15 { get; init; }

    public SendTotals Totals() => new()
    {
        Accepted = Accepted,
        Delivered = Delivered,
        Deferred = Deferred,
        SoftBounces = SoftBounces,
        HardBounces = HardBounces,
        Blocked = Blocked,
        Complaints = Complaints,
        Unsubscribes = Unsubscribes,
        Opens = Opens,
        Clicks = Clicks,
        Dropped = Dropped,
        CriticalFailures = CriticalFailures,
        Latency = [Latency00, Latency01, Latency02, Latency03, Latency04, Latency05, Latency06, Latency07, Latency08, Latency09, Latency10, Latency11, Latency12, Latency13, Latency14, Latency15],
    };
}
