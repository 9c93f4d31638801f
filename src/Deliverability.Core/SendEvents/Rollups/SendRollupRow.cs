using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>
/// One minute of one (stream, provider, sending domain, mailbox provider): the events of each kind and the delivery
/// latency histogram (<see cref="LatencyBuckets"/>). Table <c>send_rollups</c>; holds no personal data, so erasing a
/// recipient's events leaves it as it is.
/// </summary>
public sealed class SendRollupRow
{
    public long Id { get; set; }

    /// <summary>Minutes since the Unix epoch (<see cref="SendMinute"/>) of the events' time.</summary>
    public long Minute { get; set; }

    public required string Stream { get; set; }

    public required string Provider { get; set; }

    /// <summary>Empty when the events did not say.</summary>
    public required string SendingDomain { get; set; }

    public required string MailboxProvider { get; set; }

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

    /// <summary>Messages tagged critical that bounced, were blocked, were dropped or complained about.</summary>
    public long CriticalFailures { get; set; }

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

    /// <summary>The latency histogram as a list (bucket <c>i</c> is <c>Latency{i:00}</c>).</summary>
    public long[] LatencyCounts() => [Latency00, Latency01, Latency02, Latency03, Latency04, Latency05, Latency06, Latency07, Latency08, Latency09, Latency10, Latency11, Latency12, Latency13, Latency14, Latency15];

    /// <summary>Adds <paramref name="totals"/> to this row.</summary>
    public void Add(SendTotals totals)
    {
        Accepted += totals.Accepted;
        Delivered += totals.Delivered;
        Deferred += totals.Deferred;
        SoftBounces += totals.SoftBounces;
        HardBounces += totals.HardBounces;
        Blocked += totals.Blocked;
        Complaints += totals.Complaints;
        Unsubscribes += totals.Unsubscribes;
        Opens += totals.Opens;
        Clicks += totals.Clicks;
        Dropped += totals.Dropped;
        CriticalFailures += totals.CriticalFailures;
        Latency00 += totals.Latency[0];
        Latency01 += totals.Latency[1];
        Latency02 += totals.Latency[2];
        Latency03 += totals.Latency[3];
        Latency04 += totals.Latency[4];
        Latency05 += totals.Latency[5];
        Latency06 += totals.Latency[6];
        Latency07 += totals.Latency[7];
        Latency08 += totals.Latency[8];
        Latency09 += totals.Latency[9];
        Latency10 += totals.Latency[10];
        Latency11 += totals.Latency[11];
        Latency12 += totals.Latency[12];
        Latency13 += totals.Latency[13];
        Latency14 += totals.Latency[14];
        Latency15 += totals.Latency[15];
    }
}

internal sealed class SendRollupRowConfiguration : IEntityTypeConfiguration<SendRollupRow>
{
    public void Configure(EntityTypeBuilder<SendRollupRow> builder)
    {
        builder.ToTable("send_rollups");
        builder.HasIndex(r => new { r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider }).IsUnique();
        builder.Property(r => r.Stream).HasMaxLength(100);
        builder.Property(r => r.Provider).HasMaxLength(16);
        builder.Property(r => r.SendingDomain).HasMaxLength(253);
        builder.Property(r => r.MailboxProvider).HasMaxLength(32);
    }
}
