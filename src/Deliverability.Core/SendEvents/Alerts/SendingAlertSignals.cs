using System.Globalization;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.SendEvents.Rollups;

namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>
/// The sending alerts' current conditions, read from the rollups with the thresholds of <c>Monitor:Sending</c>: a
/// stream's volume against last week's (or its forecast), critical messages that failed, transactional latency p95,
/// bounce/block/deferral/complaint rates per mailbox provider, and known throttling codes.
/// </summary>
/// <remarks>
/// Rates are windows that slide with the clock, so a condition's start is remembered here from the first evaluation
/// that saw it (and forgotten once it stops holding): the rules' <c>For</c> counts from there.
/// </remarks>
public sealed class SendingAlertSignals(
    SendRollupReader reader,
    IOptionsMonitor<SendingOptions> options,
    IOptionsMonitor<SendEventsOptions> sendEvents,
    TimeProvider time,
    ISendVolumeForecasts? forecasts = null) : IAlertSignalSource
{
    private readonly Dictionary<string, DateTimeOffset> _since = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var found = new List<(string Key, Func<DateTimeOffset, AlertSignal> Make)>();
        await VolumeAsync(now, settings, found, cancellationToken).ConfigureAwait(false);
        await CriticalAsync(now, settings, found, cancellationToken).ConfigureAwait(false);
        await LatencyAsync(now, settings, found, cancellationToken).ConfigureAwait(false);
        await RatesAsync(now, settings, found, cancellationToken).ConfigureAwait(false);
        await ThrottlingAsync(now, settings, found, cancellationToken).ConfigureAwait(false);

        lock (_gate)
        {
            var holding = found.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _since.Keys.Where(k => !holding.Contains(k)).ToList())
            {
                _since.Remove(gone);
            }

            return [.. found.Select(f => f.Make(_since.TryGetValue(f.Key, out var since) ? since : _since[f.Key] = now))];
        }
    }

    private async Task VolumeAsync(DateTimeOffset now, SendingOptions settings, List<(string, Func<DateTimeOffset, AlertSignal>)> found, CancellationToken cancellationToken)
    {
        var (from, to) = SendMinute.Window(now - settings.VolumeLag, settings.VolumeWindow);
        var week = TimeSpan.FromDays(7);
        var actual = await reader.ByStreamAsync(from, to, cancellationToken).ConfigureAwait(false);
        var lastWeek = await reader.ByStreamAsync(from - week, to - week, cancellationToken).ConfigureAwait(false);
        var streams = actual.Keys.Concat(lastWeek.Keys).Concat(sendEvents.CurrentValue.Streams.Select(s => s.Name)).Distinct(StringComparer.Ordinal);
        foreach (var stream in streams)
        {
            var sent = actual.TryGetValue(stream, out var a) ? a.Volume : 0;
            var forecast = forecasts is null ? null : await forecasts.ExpectedAsync(stream, from, to, cancellationToken).ConfigureAwait(false);
            var (expected, source) = forecast is { } f ? (f, "forecast") : (lastWeek.TryGetValue(stream, out var w) ? w.Volume : 0, "last week");
            if (expected < settings.MinExpectedVolume || sent >= expected * settings.VolumeLowRatio)
            {
                continue;
            }

            var window = to - from;
            found.Add(($"volume|{stream}|{sent == 0}", since => new SendVolumeSignal(stream, sent, expected, source, window, since)));
        }
    }

    private async Task CriticalAsync(DateTimeOffset now, SendingOptions settings, List<(string, Func<DateTimeOffset, AlertSignal>)> found, CancellationToken cancellationToken)
    {
        var (from, to) = SendMinute.Window(now, settings.CriticalWindow);
        foreach (var failure in await reader.CriticalFailuresAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            var events = await reader.EventsOfMinuteAsync(
                failure.Last, new SendFilter(failure.Stream, failure.MailboxProvider), null, 20, criticalOnly: true, cancellationToken).ConfigureAwait(false);
            var details = string.Join("; ", events.Where(e => Enum.TryParse<SendEventKind>(e.Kind, out var k) && SendTotals.IsFailure(k)).Take(3).Select(Describe));
            found.Add(($"critical|{failure.Stream}|{failure.MailboxProvider}", _ => new CriticalMessageSignal(failure.Stream, failure.MailboxProvider, failure.Count, details, failure.First)));
        }
    }

    private async Task LatencyAsync(DateTimeOffset now, SendingOptions settings, List<(string, Func<DateTimeOffset, AlertSignal>)> found, CancellationToken cancellationToken)
    {
        var transactional = sendEvents.CurrentValue.Streams.Where(s => s.Transactional).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        if (transactional.Count == 0)
        {
            return;
        }

        var (from, to) = SendMinute.Window(now, settings.LatencyWindow);
        foreach (var (stream, totals) in await reader.ByStreamAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            if (!transactional.Contains(stream) || totals.LatencySamples < settings.MinLatencySamples || totals.LatencyP95 is not { } p95)
            {
                continue;
            }

            var (severity, threshold) = p95 > settings.LatencyP95Critical ? ("critical", settings.LatencyP95Critical)
                : p95 > settings.LatencyP95Warning ? ("warning", settings.LatencyP95Warning) : (null, TimeSpan.Zero);
            if (severity is not null)
            {
                found.Add(($"latency|{stream}|{severity}", since => new SendLatencySignal(stream, p95, totals.LatencyP50, totals.LatencySamples, threshold, severity, since)));
            }
        }
    }

    private async Task RatesAsync(DateTimeOffset now, SendingOptions settings, List<(string, Func<DateTimeOffset, AlertSignal>)> found, CancellationToken cancellationToken)
    {
        var (from, to) = SendMinute.Window(now, settings.RateWindow);
        var byProvider = (await reader.ByStreamAndProviderAsync(from, to, SendFilter.All, cancellationToken).ConfigureAwait(false))
            .GroupBy(r => r.MailboxProvider, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => SendTotals.Sum(g.Select(r => r.Totals)), StringComparer.Ordinal);
        var window = to - from;
        foreach (var (provider, t) in byProvider)
        {
            if (t.Outcomes >= settings.MinEvents)
            {
                Rate(found, provider, "bounce", t.Bounces, t.Outcomes, settings.Bounce, window);
                Rate(found, provider, "block", t.Blocked, t.Outcomes, settings.Block, window);
            }

            if (t.Outcomes + t.Deferred >= settings.MinEvents)
            {
                Rate(found, provider, "deferral", t.Deferred, t.Outcomes + t.Deferred, settings.Deferral, window);
            }
        }

        var (complaintFrom, complaintTo) = SendMinute.Window(now, settings.ComplaintWindow);
        var complaints = (await reader.ByStreamAndProviderAsync(complaintFrom, complaintTo, SendFilter.All, cancellationToken).ConfigureAwait(false))
            .GroupBy(r => r.MailboxProvider, StringComparer.Ordinal);
        foreach (var group in complaints)
        {
            var t = SendTotals.Sum(group.Select(r => r.Totals));
            if (t.Delivered >= settings.MinDelivered)
            {
                Rate(found, group.Key, "complaint", t.Complaints, t.Delivered, settings.Complaint, complaintTo - complaintFrom);
            }
        }
    }

    private static void Rate(List<(string, Func<DateTimeOffset, AlertSignal>)> found, string provider, string rate, long events, long whole, RateThreshold threshold, TimeSpan window)
    {
        var value = (double)events / whole;
        if (threshold.SeverityOf(value) is not { } severity)
        {
            return;
        }

        var limit = severity == "critical" ? threshold.Critical : threshold.Warning;
        found.Add(($"rate|{provider}|{rate}|{severity}", since => new SendRateSignal(provider, rate, value, limit, severity, events, whole, window, since)));
    }

    private async Task ThrottlingAsync(DateTimeOffset now, SendingOptions settings, List<(string, Func<DateTimeOffset, AlertSignal>)> found, CancellationToken cancellationToken)
    {
        var (from, to) = SendMinute.Window(now, settings.ThrottlingWindow);
        var counts = await reader.ThrottlingAsync(from, to, cancellationToken).ConfigureAwait(false);
        foreach (var group in counts.GroupBy(c => (c.MailboxProvider, c.Code)))
        {
            var total = group.Sum(c => c.Count);
            if (total < settings.MinThrottlingEvents)
            {
                continue;
            }

            var streams = group.Select(c => c.Stream).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            found.Add(($"throttling|{group.Key.MailboxProvider}|{group.Key.Code}", since => new ThrottlingSignal(group.Key.MailboxProvider, group.Key.Code, total, streams, to - from, since)));
        }
    }

    private static string Describe(SendEventView e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.Kind} {e.OccurredAt:HH:mm:ss}Z{(e.MessageId is { } id ? $" message {Cut(id, 80)}" : "")}{(e.RecipientDomain is { } d ? $" to {d}" : "")}{(e.Diagnostic is { } why ? $": {Cut(why, 160)}" : "")}");

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
