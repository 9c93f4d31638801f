using Deliverability.Core.SendEvents.Rollups;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>A set of events: the count of each kind, the rates (shares from 0 to 1; null without a base) and the delivery latency percentiles.</summary>
public sealed record SendFiguresDto(
    long Volume,
    long Accepted,
    long Delivered,
    long Deferred,
    long SoftBounces,
    long HardBounces,
    long Blocked,
    long Complaints,
    long Unsubscribes,
    long Opens,
    long Clicks,
    long Dropped,
    long CriticalFailures,
    double? DeliveryRate,
    double? BounceRate,
    double? BlockRate,
    double? DeferralRate,
    double? ComplaintRate,
    long LatencySamples,
    double? LatencyP50Ms,
    double? LatencyP95Ms)
{
    public static SendFiguresDto From(SendTotals t) => new(
        t.Volume, t.Accepted, t.Delivered, t.Deferred, t.SoftBounces, t.HardBounces, t.Blocked, t.Complaints, t.Unsubscribes, t.Opens, t.Clicks,
        t.Dropped, t.CriticalFailures, t.DeliveryRate, t.BounceRate, t.BlockRate, t.DeferralRate, t.ComplaintRate, t.LatencySamples,
        t.LatencyP50?.TotalMilliseconds, t.LatencyP95?.TotalMilliseconds);
}

/// <summary>The figures of one stream at one mailbox provider.</summary>
public sealed record SendingRowDto(string Stream, bool Transactional, string MailboxProvider, SendFiguresDto Figures);

/// <summary>The window's figures per stream and mailbox provider, and in total.</summary>
public sealed record SendingSummaryDto(DateTimeOffset From, DateTimeOffset To, SendFiguresDto Total, IReadOnlyList<SendingRowDto> Rows);

/// <summary>One period of a series, by its start.</summary>
public sealed record SendingPointDto(DateTimeOffset Start, SendFiguresDto Figures);

/// <summary>The window's figures per period of <paramref name="StepMinutes"/> (periods without events are left out).</summary>
public sealed record SendingSeriesDto(DateTimeOffset From, DateTimeOffset To, int StepMinutes, IReadOnlyList<SendingPointDto> Points);

/// <summary>A known throttling or blocking code seen in the window, with what it means and what to do.</summary>
public sealed record ThrottlingDto(string Stream, string MailboxProvider, string Code, string ProviderCode, string Effect, string Meaning, string Action, long Count, DateTimeOffset Last);

/// <summary>The stored events of one minute (recipients as their hash only).</summary>
public sealed record SendingEventsDto(DateTimeOffset Minute, int Limit, IReadOnlyList<SendEventView> Events);
