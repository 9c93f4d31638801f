using System.Globalization;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Rules;
using Deliverability.Core.SendEvents.Throttling;

namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>The dashboard address of the Sending page, for the alerts' annotations.</summary>
internal static class SendingLinks
{
    public static void AddTo(SortedDictionary<string, string> annotations, AlertLinks links)
    {
        if (links.ExternalUrl is { } url)
        {
            annotations[AlertLabels.DashboardUrl] = url + "/sending";
        }
    }

    public static string Percent(double share) => share.ToString(share < 0.01 ? "0.00%" : "0.0%", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalMinutes >= 1
        ? span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

/// <summary><c>SendVolumeLow</c>: a stream sends less than <c>VolumeLowRatio</c> of its expected volume (warning), or nothing (critical).</summary>
public sealed class SendVolumeRule(SendingRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "SendVolumeLow";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var s in input.Signals.OfType<SendVolumeSignal>())
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, s.Stopped ? "critical" : "warning"), (SendingAlertLabels.Stream, s.Stream));
            var expected = s.Expected.ToString("0", CultureInfo.InvariantCulture);
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, s.Stopped ? $"Stream {s.Stream} stopped sending" : $"Stream {s.Stream} sends far less than expected"),
                (AlertLabels.Description, $"{s.Actual} messages in the last {SendingLinks.Duration(s.Window)}, {expected} expected ({s.ExpectedFrom})."),
                (AlertLabels.Fix, "Check the application and the queue that feed the stream, the send path (MTA or ESP account, API keys, quotas) and whether the ESP's webhooks still reach the service."));
            SendingLinks.AddTo(annotations, links);
            yield return new AlertCondition(labels, annotations, s.Since, 1, options.For, 1);
        }
    }
}

/// <summary><c>CriticalMessageFailed</c>: a message tagged critical bounced, was blocked or dropped, or was marked as spam.</summary>
public sealed class CriticalMessageRule(SendingRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "CriticalMessageFailed";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var s in input.Signals.OfType<CriticalMessageSignal>())
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, "critical"), (SendingAlertLabels.Stream, s.Stream), (SendingAlertLabels.MailboxProvider, s.MailboxProvider));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{s.Count} critical message(s) of {s.Stream} failed at {s.MailboxProvider}"),
                (AlertLabels.Description, s.Details.Length == 0 ? $"{s.Count} critical message(s) bounced, were blocked or were marked as spam." : s.Details),
                (AlertLabels.Fix, "Read the reply of each failed message on the Sending page; resend what matters by another path, and fix the cause (address, block, authentication)."));
            SendingLinks.AddTo(annotations, links);
            yield return new AlertCondition(labels, annotations, s.Since, 1, options.For, 1);
        }
    }
}

/// <summary><c>SendLatencyHigh</c>: the p95 delivery latency of a transactional stream is above <c>LatencyP95Warning</c> or <c>LatencyP95Critical</c>.</summary>
public sealed class SendLatencyRule(SendingRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "SendLatencyHigh";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var s in input.Signals.OfType<SendLatencySignal>())
        {
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, s.Severity), (SendingAlertLabels.Stream, s.Stream));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"Delivery of {s.Stream} is slow: p95 {SendingLinks.Duration(s.P95)} (over {SendingLinks.Duration(s.Threshold)})"),
                (AlertLabels.Description, $"p95 {SendingLinks.Duration(s.P95)}, p50 {(s.P50 is { } p50 ? SendingLinks.Duration(p50) : "-")} over {s.Samples} delivered messages."),
                (AlertLabels.Fix, "Look for deferrals and throttling codes at the mailbox providers (Sending page), the MTA's queue and its connections; move transactional mail off a queue shared with bulk mail."));
            SendingLinks.AddTo(annotations, links);
            yield return new AlertCondition(labels, annotations, s.Since, 1, options.For, 1);
        }
    }
}

/// <summary><c>SendRateHigh</c>: a bounce, block, deferral or complaint rate at a mailbox provider is above its threshold.</summary>
public sealed class SendRateRule(SendingRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "SendRateHigh";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var s in input.Signals.OfType<SendRateSignal>())
        {
            var labels = AlertLabels.Of(
                (AlertLabels.AlertName, Name), (AlertLabels.Severity, s.Severity), (SendingAlertLabels.MailboxProvider, s.MailboxProvider), (SendingAlertLabels.Rate, s.Rate));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{Capital(s.Rate)} rate at {s.MailboxProvider} is {SendingLinks.Percent(s.Value)} (over {SendingLinks.Percent(s.Threshold)})"),
                (AlertLabels.Description, $"{s.Events} of {s.Base} in the last {SendingLinks.Duration(s.Window)}."),
                (AlertLabels.Fix, s.Rate switch
                {
                    "bounce" => "Stop sending to the bouncing addresses (suppression list) and check where the list came from.",
                    "block" => "Read the block replies (Sending page, throttling codes): the IP or domain may be listed, or authentication failing; slow down to this provider.",
                    "deferral" => "The provider is slowing you down: lower the rate and connections to it and read its throttling codes.",
                    _ => "Stop sending to unengaged recipients, make unsubscribing one click (RFC 8058), and check the stream that drew the complaints.",
                }));
            SendingLinks.AddTo(annotations, links);
            yield return new AlertCondition(labels, annotations, s.Since, 1, options.For, 1);
        }
    }

    private static string Capital(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}

/// <summary><c>ProviderThrottling</c>: replies carry a known throttling (warning) or blocking (critical) code of a mailbox provider.</summary>
public sealed class ThrottlingRule(SendingRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "ProviderThrottling";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var s in input.Signals.OfType<ThrottlingSignal>())
        {
            var code = ThrottlingDecoder.Find(s.CodeId);
            var severity = code?.Effect == ThrottlingEffect.Blocked ? "critical" : "warning";
            var labels = AlertLabels.Of(
                (AlertLabels.AlertName, Name), (AlertLabels.Severity, severity), (SendingAlertLabels.MailboxProvider, s.MailboxProvider), (SendingAlertLabels.Code, s.CodeId));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{s.MailboxProvider} {(severity == "critical" ? "blocks" : "throttles")}: {code?.Code ?? s.CodeId} in {s.Count} replies"),
                (AlertLabels.Description, $"{code?.Meaning ?? "A known throttling code."} Streams: {string.Join(", ", s.Streams)}; last {SendingLinks.Duration(s.Window)}."),
                (AlertLabels.Fix, code?.Action ?? "Slow down to this provider and read its postmaster pages."));
            SendingLinks.AddTo(annotations, links);
            yield return new AlertCondition(labels, annotations, s.Since, 1, options.For, 1);
        }
    }
}
