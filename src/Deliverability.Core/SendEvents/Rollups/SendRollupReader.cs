using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.SendEvents.Throttling;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>Which rollups to read; a null field reads all.</summary>
public sealed record SendFilter(string? Stream = null, string? MailboxProvider = null, string? Provider = null, string? SendingDomain = null)
{
    public static SendFilter All { get; } = new();
}

/// <summary>The totals of one stream at one mailbox provider.</summary>
public sealed record StreamProviderTotals(string Stream, string MailboxProvider, SendTotals Totals);

/// <summary>The totals of one period of a series (a minute or an hour, by its start).</summary>
public sealed record SeriesPoint(DateTimeOffset Start, SendTotals Totals);

/// <summary>How many replies carried one throttling code for one stream at one mailbox provider, and the last minute one did.</summary>
public sealed record ThrottlingCount(string Stream, string MailboxProvider, string Code, long Count, DateTimeOffset Last);

/// <summary>Critical messages that failed in one stream at one mailbox provider, and the first and last minute they did.</summary>
public sealed record CriticalFailureCount(string Stream, string MailboxProvider, long Count, DateTimeOffset First, DateTimeOffset Last);

/// <summary>One stored event as the Sending page and API show it: the recipient only as its hash.</summary>
public sealed record SendEventView(
    long Id,
    DateTimeOffset OccurredAt,
    string Provider,
    string Stream,
    string? SendingDomain,
    string Kind,
    string? MailboxProvider,
    string? RecipientDomain,
    string? RecipientHash,
    int? SmtpCode,
    string? EnhancedStatus,
    string? Diagnostic,
    string? MessageId,
    long? DeliveryLatencyMs,
    bool Critical,
    string? ThrottlingCode);

/// <summary>
/// Reads the send rollups: each query sums rows in the database (one <c>SUM</c> per column, grouped), so a day of a
/// peak reads as a few thousand rows whatever the number of events behind them. Windows are whole minutes: from the
/// minute of <c>from</c> up to, not including, the minute of <c>to</c>.
/// </summary>
public sealed class SendRollupReader(IDbContextFactory<MonitorDbContext> contexts)
{
    /// <summary>The most events one call of <see cref="EventsOfMinuteAsync"/> returns.</summary>
    public const int MaxEvents = 500;

    /// <summary>Totals per stream and mailbox provider over the window.</summary>
    public async Task<IReadOnlyList<StreamProviderTotals>> ByStreamAndProviderAsync(DateTimeOffset from, DateTimeOffset to, SendFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = await SumsAsync(from, to, filter, r => new StreamProvider { Stream = r.Stream, MailboxProvider = r.MailboxProvider }, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StreamProviderTotals(r.Key.Stream, r.Key.MailboxProvider, r))
            .OrderBy(r => r.Stream, StringComparer.Ordinal).ThenByDescending(r => r.Totals.Volume).ThenBy(r => r.MailboxProvider, StringComparer.Ordinal)];
    }

    /// <summary>Totals per stream over the window.</summary>
    public async Task<IReadOnlyDictionary<string, SendTotals>> ByStreamAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        (await SumsAsync(from, to, SendFilter.All, r => r.Stream, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => (SendTotals)r, StringComparer.Ordinal);

    /// <summary>Totals per sending domain over the window (an empty domain: events that did not say).</summary>
    public async Task<IReadOnlyDictionary<string, SendTotals>> BySendingDomainAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        (await SumsAsync(from, to, SendFilter.All, r => r.SendingDomain, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => (SendTotals)r, StringComparer.Ordinal);

    /// <summary>The totals of the whole window.</summary>
    public async Task<SendTotals> TotalAsync(DateTimeOffset from, DateTimeOffset to, SendFilter filter, CancellationToken cancellationToken = default) =>
        (await SumsAsync(from, to, filter, r => 1, cancellationToken).ConfigureAwait(false)) is [var all, ..] ? all : new SendTotals();

    /// <summary>The window's totals per period of <paramref name="stepMinutes"/> (1 for minutes, 60 for hours), only periods with events.</summary>
    public async Task<IReadOnlyList<SeriesPoint>> SeriesAsync(DateTimeOffset from, DateTimeOffset to, int stepMinutes, SendFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepMinutes, 1);
        var step = (long)stepMinutes;
        var rows = await SumsAsync(from, to, filter, r => r.Minute / step, cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.Key).Select(r => new SeriesPoint(SendMinute.Start(r.Key * step), r))];
    }

    /// <summary>The rollups of the window grouped by <paramref name="key"/>, each group summed by the database.</summary>
    private async Task<List<Summed<TKey>>> SumsAsync<TKey>(DateTimeOffset from, DateTimeOffset to, SendFilter filter, Expression<Func<SendRollupRow, TKey>> key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await Window(db, from, to, filter).GroupBy(key).Select(RollupSums.Of<TKey>()).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The throttling codes seen in the window, per stream and mailbox provider.</summary>
    public async Task<IReadOnlyList<ThrottlingCount>> ThrottlingAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (first, last) = (SendMinute.Of(from), SendMinute.Of(to));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<ThrottlingRollupRow>().AsNoTracking()
            .Where(r => r.Minute >= first && r.Minute < last)
            .GroupBy(r => new { r.Stream, r.MailboxProvider, r.Code })
            .Select(g => new { g.Key.Stream, g.Key.MailboxProvider, g.Key.Code, Count = g.Sum(r => r.Count), Last = g.Max(r => r.Minute) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(r => r.Count).Select(r => new ThrottlingCount(r.Stream, r.MailboxProvider, r.Code, r.Count, SendMinute.Start(r.Last)))];
    }

    /// <summary>The critical messages that failed in the window, per stream and mailbox provider.</summary>
    public async Task<IReadOnlyList<CriticalFailureCount>> CriticalFailuresAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await Window(db, from, to, SendFilter.All)
            .Where(r => r.CriticalFailures > 0)
            .GroupBy(r => new { r.Stream, r.MailboxProvider })
            .Select(g => new { g.Key.Stream, g.Key.MailboxProvider, Count = g.Sum(r => r.CriticalFailures), First = g.Min(r => r.Minute), Last = g.Max(r => r.Minute) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.Stream, StringComparer.Ordinal).ThenBy(r => r.MailboxProvider, StringComparer.Ordinal)
            .Select(r => new CriticalFailureCount(r.Stream, r.MailboxProvider, r.Count, SendMinute.Start(r.First), SendMinute.Start(r.Last)))];
    }

    /// <summary>
    /// The stored events of one minute (those the rollups counted there), newest first, at most <paramref name="limit"/>
    /// (and <see cref="MaxEvents"/>); <paramref name="kinds"/> narrows them (null: every kind).
    /// </summary>
    public async Task<IReadOnlyList<SendEventView>> EventsOfMinuteAsync(
        DateTimeOffset minute, SendFilter filter, IReadOnlyCollection<SendEventKind>? kinds, int limit, bool criticalOnly = false, CancellationToken cancellationToken = default)
    {
        var start = SendMinute.Start(SendMinute.Of(minute));
        var end = start.AddMinutes(1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var events = db.Set<SendEventRow>().AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end && e.ProcessedAt != null);
        if (filter.Stream is { } stream)
        {
            events = events.Where(e => e.Stream == stream);
        }

        if (filter.MailboxProvider is { } mailboxProvider)
        {
            events = events.Where(e => e.MailboxProvider == mailboxProvider);
        }

        if (filter.Provider is { } provider)
        {
            events = events.Where(e => e.Provider == provider);
        }

        if (filter.SendingDomain is { } domain)
        {
            events = events.Where(e => e.SendingDomain == domain);
        }

        if (kinds is { Count: > 0 })
        {
            var wanted = kinds.ToList();
            events = events.Where(e => wanted.Contains(e.Kind));
        }

        if (criticalOnly)
        {
            events = events.Where(e => e.Critical);
        }

        var rows = await events.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxEvents))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(e => new SendEventView(
            e.Id, e.OccurredAt, e.Provider, e.Stream, e.SendingDomain, e.Kind.ToString(), e.MailboxProvider, e.RecipientDomain, e.RecipientHash,
            e.SmtpCode, e.EnhancedStatus, e.Diagnostic, e.MessageId, e.DeliveryLatencyMs, e.Critical,
            ThrottlingDecoder.Decode(e.MailboxProvider, e.EnhancedStatus, e.Diagnostic)?.Id))];
    }

    /// <summary>The streams that have rollups in the window.</summary>
    public async Task<IReadOnlyList<string>> StreamsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var streams = await Window(db, from, to, SendFilter.All).Select(r => r.Stream).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. streams.Order(StringComparer.Ordinal)];
    }

    private static IQueryable<SendRollupRow> Window(MonitorDbContext db, DateTimeOffset from, DateTimeOffset to, SendFilter filter)
    {
        var (first, last) = (SendMinute.Of(from), SendMinute.Of(to));
        var rows = db.Set<SendRollupRow>().AsNoTracking().Where(r => r.Minute >= first && r.Minute < last);
        if (filter.Stream is { } stream)
        {
            rows = rows.Where(r => r.Stream == stream);
        }

        if (filter.MailboxProvider is { } mailboxProvider)
        {
            rows = rows.Where(r => r.MailboxProvider == mailboxProvider);
        }

        if (filter.Provider is { } provider)
        {
            rows = rows.Where(r => r.Provider == provider);
        }

        if (filter.SendingDomain is { } domain)
        {
            rows = rows.Where(r => r.SendingDomain == domain);
        }

        return rows;
    }

    private sealed class StreamProvider
    {
        public required string Stream { get; init; }

        public required string MailboxProvider { get; init; }
    }
}
