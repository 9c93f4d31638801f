using System.Globalization;
using Deliverability.Core.Alerts.Rules;
using Deliverability.Core.SendEvents.Throttling;

namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>How the sending alerts write shares and durations.</summary>
internal static class SendingText
{
    public static string Percent(double share) => share.ToString(share < 0.01 ? "0.00%" : "0.0%", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalMinutes >= 1
        ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

/// <summary>A sending rule: one alert per signal, linked to the Sending page, firing after the rule's <c>For</c>.</summary>
public abstract class SendingRule<TSignal>(SendingRuleOptions options, AlertLinks links) : SignalRule<TSignal>(links, "/sending")
{
    protected SendingRuleOptions Options => options;

    protected override bool Enabled => options.Enabled;
}

/// <summary><c>SendVolumeLow</c>: a stream sends less than <c>VolumeLowRatio</c> of its expected volume (warning), or nothing (critical).</summary>
public sealed class SendVolumeRule(SendingRuleOptions options, AlertLinks links) : SendingRule<SendVolumeSignal>(options, links)
{
    public const string Name = "SendVolumeLow";

    public override string AlertName => Name;

    protected override SignalAlert Alert(SendVolumeSignal s, AlertRuleInput input) => new(
        s.Stopped ? "critical" : "warning",
        [(SendingAlertLabels.Stream, s.Stream)],
        s.Stopped ? $"Stream {s.Stream} stopped sending" : $"Stream {s.Stream} sends far less than expected",
        $"{s.Actual} messages in the last {SendingText.Duration(s.Window)}, {s.Expected.ToString("0", CultureInfo.InvariantCulture)} expected ({s.ExpectedFrom}).",
        "Check the application and the queue that feed the stream, the send path (MTA or ESP account, API keys, quotas) and whether the ESP's webhooks still reach the service.",
        s.Since,
        Options.For);
}

/// <summary><c>CriticalMessageFailed</c>: a message tagged critical bounced, was blocked or dropped, or was marked as spam.</summary>
public sealed class CriticalMessageRule(SendingRuleOptions options, AlertLinks links) : SendingRule<CriticalMessageSignal>(options, links)
{
    public const string Name = "CriticalMessageFailed";

    public override string AlertName => Name;

    protected override SignalAlert Alert(CriticalMessageSignal s, AlertRuleInput input) => new(
        "critical",
        [(SendingAlertLabels.Stream, s.Stream), (SendingAlertLabels.MailboxProvider, s.MailboxProvider)],
        $"{s.Count} critical message(s) of {s.Stream} failed at {s.MailboxProvider}",
        s.Details.Length == 0 ? $"{s.Count} critical message(s) bounced, were blocked or were marked as spam." : s.Details,
        "Read the reply of each failed message on the Sending page; resend what matters by another path, and fix the cause (address, block, authentication).",
        s.Since,
        Options.For);
}

/// <summary><c>SendLatencyHigh</c>: the p95 delivery latency of a transactional stream is above <c>LatencyP95Warning</c> or <c>LatencyP95Critical</c>.</summary>
public sealed class SendLatencyRule(SendingRuleOptions options, AlertLinks links) : SendingRule<SendLatencySignal>(options, links)
{
    public const string Name = "SendLatencyHigh";

    public override string AlertName => Name;

    protected override SignalAlert Alert(SendLatencySignal s, AlertRuleInput input) => new(
        s.Severity,
        [(SendingAlertLabels.Stream, s.Stream)],
        $"Delivery of {s.Stream} is slow: p95 {SendingText.Duration(s.P95)} (over {SendingText.Duration(s.Threshold)})",
        $"p95 {SendingText.Duration(s.P95)}, p50 {(s.P50 is { } p50 ? SendingText.Duration(p50) : "-")} over {s.Samples} delivered messages.",
        "Look for deferrals and throttling codes at the mailbox providers (Sending page), the MTA's queue and its connections; move transactional mail off a queue shared with bulk mail.",
        s.Since,
        Options.For);
}

/// <summary><c>SendRateHigh</c>: a bounce, block, deferral or complaint rate at a mailbox provider is above its threshold.</summary>
public sealed class SendRateRule(SendingRuleOptions options, AlertLinks links) : SendingRule<SendRateSignal>(options, links)
{
    public const string Name = "SendRateHigh";

    public override string AlertName => Name;

    protected override SignalAlert Alert(SendRateSignal s, AlertRuleInput input) => new(
        s.Severity,
        [(SendingAlertLabels.MailboxProvider, s.MailboxProvider), (SendingAlertLabels.Rate, s.Rate)],
        $"{Capital(s.Rate)} rate at {s.MailboxProvider} is {SendingText.Percent(s.Value)} (over {SendingText.Percent(s.Threshold)})",
        $"{s.Events} of {s.Base} in the last {SendingText.Duration(s.Window)}.",
        s.Rate switch
        {
            "bounce" => "Stop sending to the bouncing addresses (suppression list) and check where the list came from.",
            "block" => "Read the block replies (Sending page, throttling codes): the IP or domain may be listed, or authentication failing; slow down to this provider.",
            "deferral" => "The provider is slowing you down: lower the rate and connections to it and read its throttling codes.",
            _ => "Stop sending to unengaged recipients, make unsubscribing one click (RFC 8058), and check the stream that drew the complaints.",
        },
        s.Since,
        Options.For);

    private static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}

/// <summary><c>ProviderThrottling</c>: replies carry a known throttling (warning) or blocking (critical) code of a mailbox provider.</summary>
public sealed class ThrottlingRule(SendingRuleOptions options, AlertLinks links) : SendingRule<ThrottlingSignal>(options, links)
{
    public const string Name = "ProviderThrottling";

    public override string AlertName => Name;

    protected override SignalAlert Alert(ThrottlingSignal s, AlertRuleInput input)
    {
        var code = ThrottlingDecoder.Find(s.CodeId);
        var blocked = code?.Effect == ThrottlingEffect.Blocked;
        return new(
            blocked ? "critical" : "warning",
            [(SendingAlertLabels.MailboxProvider, s.MailboxProvider), (SendingAlertLabels.Code, s.CodeId)],
            $"{s.MailboxProvider} {(blocked ? "blocks" : "throttles")}: {code?.Code ?? s.CodeId} in {s.Count} replies",
            $"{code?.Meaning ?? "A known throttling code."} Streams: {string.Join(", ", s.Streams)}; last {SendingText.Duration(s.Window)}.",
            code?.Action ?? "Slow down to this provider and read its postmaster pages.",
            s.Since,
            Options.For);
    }
}
