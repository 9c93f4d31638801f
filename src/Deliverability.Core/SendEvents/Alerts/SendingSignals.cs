using Deliverability.Core.Alerts;

namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>A stream sending far less than expected, or nothing.</summary>
/// <param name="Expected">The expected volume in the window (the same window a week before, or the stream's forecast).</param>
/// <param name="ExpectedFrom">"last week" or "forecast".</param>
public sealed record SendVolumeSignal(string Stream, long Actual, double Expected, string ExpectedFrom, TimeSpan Window, DateTimeOffset Since) : AlertSignal(Since)
{
    public bool Stopped => Actual == 0;
}

/// <summary>Messages tagged critical that bounced, were blocked or dropped, or were complained about.</summary>
public sealed record CriticalMessageSignal(string Stream, string MailboxProvider, long Count, string Details, DateTimeOffset Since) : AlertSignal(Since);

/// <summary>A transactional stream whose p95 delivery latency is above a threshold.</summary>
public sealed record SendLatencySignal(string Stream, TimeSpan P95, TimeSpan? P50, long Samples, TimeSpan Threshold, string Severity, DateTimeOffset Since) : AlertSignal(Since);

/// <summary>A bounce, block, deferral or complaint rate above its threshold at one mailbox provider.</summary>
/// <param name="Rate">bounce | block | deferral | complaint</param>
/// <param name="Events">The events the rate counts (bounces, blocks, ...); <paramref name="Base"/> is what it divides by.</param>
public sealed record SendRateSignal(string MailboxProvider, string Rate, double Value, double Threshold, string Severity, long Events, long Base, TimeSpan Window, DateTimeOffset Since) : AlertSignal(Since);

/// <summary>Replies carrying a known throttling or blocking code of a mailbox provider.</summary>
public sealed record ThrottlingSignal(string MailboxProvider, string CodeId, long Count, IReadOnlyList<string> Streams, TimeSpan Window, DateTimeOffset Since) : AlertSignal(Since);
