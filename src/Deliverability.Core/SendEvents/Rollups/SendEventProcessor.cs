using Microsoft.EntityFrameworkCore;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Throttling;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Rollups;

/// <summary>What one batch did: how many events it rolled up, and the minutes they fell in.</summary>
public sealed record ProcessedBatch(int Events, IReadOnlyList<long> Minutes)
{
    public static ProcessedBatch None { get; } = new(0, []);
}

/// <summary>
/// Turns stored events into per-minute rollups, one batch at a time, oldest first: classifies each event's mailbox
/// provider, counts it into its minute's rollup (and its throttling code into the throttling rollup), and marks it
/// processed, all in one transaction. A crash before the commit leaves the batch unprocessed and the rollups as they
/// were (it is rolled up again); after it, the batch is never read again: no event is counted twice or lost.
/// </summary>
/// <remarks>
/// Several nodes may run it at once: on PostgreSQL a transaction-scoped advisory lock lets one batch at a time add to
/// the rollups (a read-add-write that must not interleave), and SQLite's write lock does the same there. The events
/// are marked only where still unprocessed; when fewer rows than read were marked (another node took some), the whole
/// batch is rolled back and read again. The classifier's DNS lookups run before the transaction, never inside it.
/// </remarks>
public sealed class SendEventProcessor(IDbContextFactory<MonitorDbContext> contexts, IMailboxProviderClassifier classifier, TimeProvider time)
{
    /// <summary>The mailbox provider of an event without a recipient domain.</summary>
    public const string Unknown = "unknown";

    // Any constant: the key of the advisory lock that serialises batches across nodes on PostgreSQL.
    private const long AdvisoryLockKey = 0x5E_4D_E7_E5;

    /// <summary>Rolls up the oldest unprocessed events, at most <paramref name="batchSize"/>.</summary>
    public async Task<ProcessedBatch> ProcessBatchAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        List<PendingEvent> batch;
        await using (var read = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            batch = await read.Set<SendEventRow>().AsNoTracking()
                .Where(e => e.ProcessedAt == null)
                .OrderBy(e => e.Id)
                .Take(batchSize)
                .Select(e => new PendingEvent(e.Id, e.Stream, e.Provider, e.SendingDomain, e.Kind, e.OccurredAt, e.RecipientDomain, e.MailboxProvider, e.EnhancedStatus, e.Diagnostic, e.DeliveryLatencyMs, e.Critical))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        if (batch.Count == 0)
        {
            return ProcessedBatch.None;
        }

        var providers = await ClassifyAsync(batch, cancellationToken).ConfigureAwait(false);
        var totals = new Dictionary<RollupKey, SendTotals>();
        var throttling = new Dictionary<(RollupKey Key, string Code), long>();
        foreach (var e in batch)
        {
            var key = new RollupKey(SendMinute.Of(e.OccurredAt), e.Stream, e.Provider, e.SendingDomain ?? "", providers[e.Id]);
            if (!totals.TryGetValue(key, out var sum))
            {
                totals[key] = sum = new SendTotals();
            }

            sum.Count(e.Kind, e.Critical, e.DeliveryLatencyMs);
            if (e.Kind is SendEventKind.Deferred or SendEventKind.SoftBounce or SendEventKind.HardBounce or SendEventKind.Blocked
                && ThrottlingDecoder.Decode(key.MailboxProvider, e.EnhancedStatus, e.Diagnostic) is { } code)
            {
                throttling[(key, code.Id)] = throttling.GetValueOrDefault((key, code.Id)) + 1;
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        }

        if (!await MarkProcessedAsync(db, batch, providers, cancellationToken).ConfigureAwait(false))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return ProcessedBatch.None;
        }

        var minutes = totals.Keys.Select(k => k.Minute).Distinct().Order().ToList();
        await AddToRollupsAsync(db, minutes, totals, cancellationToken).ConfigureAwait(false);
        await AddToThrottlingAsync(db, minutes, throttling, cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ProcessedBatch(batch.Count, minutes);
    }

    private async Task<Dictionary<long, string>> ClassifyAsync(List<PendingEvent> batch, CancellationToken cancellationToken)
    {
        var byDomain = new Dictionary<string, string>(StringComparer.Ordinal);
        var providers = new Dictionary<long, string>(batch.Count);
        foreach (var e in batch)
        {
            if (!string.IsNullOrEmpty(e.MailboxProvider))
            {
                providers[e.Id] = e.MailboxProvider;
                continue;
            }

            if (string.IsNullOrEmpty(e.RecipientDomain))
            {
                providers[e.Id] = Unknown;
                continue;
            }

            if (!byDomain.TryGetValue(e.RecipientDomain, out var provider))
            {
                provider = await classifier.ClassifyAsync(e.RecipientDomain, cancellationToken).ConfigureAwait(false);
                // Bounded like the column: a classifier's answer is a short name.
                byDomain[e.RecipientDomain] = provider = string.IsNullOrWhiteSpace(provider) ? Unknown : provider.Length > 32 ? provider[..32] : provider;
            }

            providers[e.Id] = provider;
        }

        return providers;
    }

    /// <summary>Marks the batch processed (with its mailbox providers) where it still is unprocessed; false when another node took some of it.</summary>
    private async Task<bool> MarkProcessedAsync(MonitorDbContext db, List<PendingEvent> batch, Dictionary<long, string> providers, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var marked = 0;
        foreach (var group in batch.GroupBy(e => providers[e.Id], StringComparer.Ordinal))
        {
            var ids = group.Select(e => e.Id).ToArray();
            var provider = group.Key;
            marked += await db.Set<SendEventRow>()
                .Where(e => ids.Contains(e.Id) && e.ProcessedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedAt, now).SetProperty(e => e.MailboxProvider, provider), cancellationToken)
                .ConfigureAwait(false);
        }

        return marked == batch.Count;
    }

    private static async Task AddToRollupsAsync(MonitorDbContext db, List<long> minutes, Dictionary<RollupKey, SendTotals> totals, CancellationToken cancellationToken)
    {
        var existing = (await db.Set<SendRollupRow>().Where(r => minutes.Contains(r.Minute)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => new RollupKey(r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider));
        foreach (var (key, sum) in totals)
        {
            if (!existing.TryGetValue(key, out var row))
            {
                row = new SendRollupRow { Minute = key.Minute, Stream = key.Stream, Provider = key.Provider, SendingDomain = key.SendingDomain, MailboxProvider = key.MailboxProvider };
                db.Add(row);
            }

            row.Add(sum);
        }
    }

    private static async Task AddToThrottlingAsync(MonitorDbContext db, List<long> minutes, Dictionary<(RollupKey Key, string Code), long> counts, CancellationToken cancellationToken)
    {
        if (counts.Count == 0)
        {
            return;
        }

        var existing = (await db.Set<ThrottlingRollupRow>().Where(r => minutes.Contains(r.Minute)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (new RollupKey(r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider), r.Code));
        foreach (var ((key, code), count) in counts)
        {
            if (!existing.TryGetValue((key, code), out var row))
            {
                row = new ThrottlingRollupRow { Minute = key.Minute, Stream = key.Stream, Provider = key.Provider, SendingDomain = key.SendingDomain, MailboxProvider = key.MailboxProvider, Code = code };
                db.Add(row);
            }

            row.Count += count;
        }
    }

    private sealed record PendingEvent(
        long Id,
        string Stream,
        string Provider,
        string? SendingDomain,
        SendEventKind Kind,
        DateTimeOffset OccurredAt,
        string? RecipientDomain,
        string? MailboxProvider,
        string? EnhancedStatus,
        string? Diagnostic,
        long? DeliveryLatencyMs,
        bool Critical);

    private readonly record struct RollupKey(long Minute, string Stream, string Provider, string SendingDomain, string MailboxProvider);
}
