using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Rollups;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>The latency histogram of the rollups: percentiles read from merged minutes equal those of all samples at once.</summary>
public sealed class LatencyBucketsTests
{
    [Fact]
    public void Percentiles_of_merged_minutes_equal_those_of_the_samples_counted_together()
    {
        var random = new Random(7);
        var samples = Enumerable.Range(0, 6000).Select(_ => (long)(Math.Exp(random.NextDouble() * 10) * 20)).ToArray();
        var all = new SendTotals();
        var minutes = Enumerable.Range(0, 60).Select(_ => new SendTotals()).ToArray();
        for (var i = 0; i < samples.Length; i++)
        {
            all.Count(SendEventKind.Delivered, false, samples[i]);
            minutes[i % 60].Count(SendEventKind.Delivered, false, samples[i]);
        }

        var merged = SendTotals.Sum(minutes);

        Assert.Equal(all.Latency, merged.Latency);
        Assert.Equal(all.LatencyP50, merged.LatencyP50);
        Assert.Equal(all.LatencyP95, merged.LatencyP95);
    }

    [Fact]
    public void A_percentile_falls_in_the_bucket_of_the_true_value()
    {
        var totals = new SendTotals();
        foreach (var ms in Enumerable.Range(1, 100).Select(i => i * 1000L))
        {
            totals.Count(SendEventKind.Delivered, false, ms);
        }

        // True p50 is 50 s and p95 95 s: the buckets around them are 30-60 s and 60-120 s.
        Assert.InRange(totals.LatencyP50!.Value.TotalSeconds, 30, 60);
        Assert.InRange(totals.LatencyP95!.Value.TotalSeconds, 60, 120);
    }

    [Fact]
    public void No_samples_no_percentile_and_latencies_over_an_hour_read_as_an_hour()
    {
        var totals = new SendTotals();
        Assert.Null(totals.LatencyP95);

        totals.Count(SendEventKind.Delivered, false, 5 * 3_600_000L);
        Assert.Equal(TimeSpan.FromHours(1), totals.LatencyP95);
    }

    [Fact]
    public void Only_delivered_events_with_a_latency_are_samples()
    {
        var totals = new SendTotals();
        totals.Count(SendEventKind.Deferred, false, 1000);
        totals.Count(SendEventKind.Delivered, false, null);
        totals.Count(SendEventKind.Delivered, false, -5);
        totals.Count(SendEventKind.Delivered, false, 1500);

        Assert.Equal(1, totals.LatencySamples);
        Assert.Equal(3, totals.Delivered);
    }

    [Fact]
    public void Rates_divide_by_their_own_base()
    {
        var totals = new SendTotals { Delivered = 900, SoftBounces = 20, HardBounces = 30, Blocked = 50, Deferred = 100, Complaints = 3 };

        Assert.Equal(0.9, totals.DeliveryRate);
        Assert.Equal(0.05, totals.BounceRate);
        Assert.Equal(0.05, totals.BlockRate);
        Assert.Equal(100.0 / 1100, totals.DeferralRate);
        Assert.Equal(3.0 / 900, totals.ComplaintRate);
        Assert.Null(new SendTotals().BounceRate);
    }
}
