using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.SendEvents.Throttling;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>The figures of the Sending page, the Overview's Sending column and <c>/api/sending</c>, read from the rollups.</summary>
public sealed class SendingBoard(SendRollupReader reader, IOptionsMonitor<SendEventsOptions> sendEvents)
{
    /// <summary>Whether <paramref name="stream"/> is configured as transactional (its latency is watched).</summary>
    public bool IsTransactional(string stream) =>
        sendEvents.CurrentValue.Streams.Any(s => s.Transactional && string.Equals(s.Name, stream, StringComparison.Ordinal));

    public async Task<SendingSummaryDto> SummaryAsync(DateTimeOffset from, DateTimeOffset to, SendFilter filter, CancellationToken cancellationToken)
    {
        var rows = await reader.ByStreamAndProviderAsync(from, to, filter, cancellationToken);
        var total = SendTotals.Sum(rows.Select(r => r.Totals));
        return new SendingSummaryDto(from, to, SendFiguresDto.From(total),
            [.. rows.Select(r => new SendingRowDto(r.Stream, IsTransactional(r.Stream), r.MailboxProvider, SendFiguresDto.From(r.Totals)))]);
    }

    public async Task<SendingSeriesDto> SeriesAsync(DateTimeOffset from, DateTimeOffset to, int stepMinutes, SendFilter filter, CancellationToken cancellationToken)
    {
        var points = await reader.SeriesAsync(from, to, stepMinutes, filter, cancellationToken);
        return new SendingSeriesDto(from, to, stepMinutes, [.. points.Select(p => new SendingPointDto(p.Start, SendFiguresDto.From(p.Totals)))]);
    }

    public async Task<IReadOnlyList<ThrottlingDto>> ThrottlingAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var counts = await reader.ThrottlingAsync(from, to, cancellationToken);
        return [.. counts.Select(c => ThrottlingDecoder.Find(c.Code) is { } code
            ? new ThrottlingDto(c.Stream, c.MailboxProvider, c.Code, code.Code, code.Effect == ThrottlingEffect.Blocked ? "blocked" : "throttled", code.Meaning, code.Action, c.Count, c.Last)
            : new ThrottlingDto(c.Stream, c.MailboxProvider, c.Code, c.Code, "throttled", "", "", c.Count, c.Last))];
    }

    public async Task<SendingEventsDto> EventsAsync(DateTimeOffset minute, SendFilter filter, IReadOnlyCollection<SendEventKind>? kinds, int limit, CancellationToken cancellationToken)
    {
        var start = SendMinute.Start(SendMinute.Of(minute));
        var events = await reader.EventsOfMinuteAsync(start, filter, kinds, limit, cancellationToken: cancellationToken);
        return new SendingEventsDto(start, limit, events);
    }

    /// <summary>The figures per sending domain over the window, for the Overview.</summary>
    public async Task<SendingByDomain> BySendingDomainAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        new(await reader.BySendingDomainAsync(from, to, cancellationToken));
}

/// <summary>Send figures per sending domain; a monitored domain's figures include those of its subdomains (mail.shop.example for shop.example).</summary>
public sealed class SendingByDomain(IReadOnlyDictionary<string, SendTotals> byDomain)
{
    public static SendingByDomain Empty { get; } = new(new Dictionary<string, SendTotals>());

    /// <summary>Whether any domain sent in the window (without, the Overview shows no Sending column).</summary>
    public bool Any => byDomain.Count > 0;

    /// <summary>The figures of <paramref name="domain"/> and its subdomains, or null when none of them sent.</summary>
    public SendFiguresDto? For(string domain)
    {
        var name = domain.TrimEnd('.').ToLowerInvariant();
        var matching = byDomain.Where(d => d.Key == name || d.Key.EndsWith("." + name, StringComparison.Ordinal)).Select(d => d.Value).ToList();
        return matching.Count == 0 ? null : SendFiguresDto.From(SendTotals.Sum(matching));
    }
}
