using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

/// <summary>Filters of the alert list; null means any.</summary>
/// <param name="Matchers">Label matchers, all of which must match.</param>
/// <param name="IncludeResolved">Whether resolved alerts are listed (only pending and firing by default).</param>
/// <param name="Limit">At most this many alerts, the first in the list's order (all when null).</param>
public sealed record AlertFilter(AlertState? State = null, IReadOnlyList<AlertMatcher>? Matchers = null, bool IncludeResolved = false, bool? Acknowledged = null, bool? Muted = null, int? Limit = null);

/// <summary>Reads what the engine stored: alerts, their history, silences (for the API; the engine writes).</summary>
public sealed class AlertStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    /// <summary>
    /// The alerts that pass <paramref name="filter"/>: firing first, then pending, then resolved; within each, the most
    /// recently changed first (a resolved alert by when it resolved). Ordered and limited in the database, so a page that
    /// shows the last 50 resolved alerts reads 50 rows, not every alert kept for the retention period.
    /// </summary>
    public async Task<IReadOnlyList<AlertRow>> ListAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        if (filter.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter.Limit, "Limit: must be 0 or more.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = Filtered(db, filter)
            .OrderBy(a => a.State == AlertState.Firing ? 0 : a.State == AlertState.Pending ? 1 : 2)
            .ThenByDescending(a => a.EndsAt ?? a.UpdatedAt)
            .ThenBy(a => a.Fingerprint);
        var matchers = filter.Matchers ?? [];
        if (matchers.Count == 0)
        {
            return await (filter.Limit is { } limit ? query.Take(limit) : query).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        // Labels are JSON: matched here, reading rows in the list's order only until the limit is reached.
        var rows = new List<AlertRow>();
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (rows.Count >= filter.Limit)
            {
                break;
            }

            if (AlertMatcher.MatchesAll(matchers, AlertJson.Map(row.LabelsJson)))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>How many alerts pass <paramref name="filter"/> (its <see cref="AlertFilter.Limit"/> aside).</summary>
    public async Task<int> CountAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = Filtered(db, filter);
        var matchers = filter.Matchers ?? [];
        if (matchers.Count == 0)
        {
            return await query.CountAsync(cancellationToken).ConfigureAwait(false);
        }

        var labels = await query.Select(a => a.LabelsJson).ToListAsync(cancellationToken).ConfigureAwait(false);
        return labels.Count(json => AlertMatcher.MatchesAll(matchers, AlertJson.Map(json)));
    }

    private static IQueryable<AlertRow> Filtered(MonitorDbContext db, AlertFilter filter)
    {
        var query = db.Set<AlertRow>().AsNoTracking();
        if (filter.State is { } state)
        {
            query = query.Where(a => a.State == state);
        }
        else if (!filter.IncludeResolved)
        {
            query = query.Where(a => a.State != AlertState.Resolved);
        }

        if (filter.Acknowledged is { } acknowledged)
        {
            query = acknowledged ? query.Where(a => a.AcknowledgedBy != null) : query.Where(a => a.AcknowledgedBy == null);
        }

        if (filter.Muted is { } muted)
        {
            query = muted ? query.Where(a => a.MutedBy != null) : query.Where(a => a.MutedBy == null);
        }

        return query;
    }

    public async Task<AlertRow?> GetAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<AlertRow>().AsNoTracking().SingleOrDefaultAsync(a => a.Fingerprint == fingerprint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The changes of one alert, oldest first.</summary>
    public async Task<IReadOnlyList<AlertHistoryRow>> GetHistoryAsync(string fingerprint, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var newest = await db.Set<AlertHistoryRow>().AsNoTracking()
            .Where(h => h.Fingerprint == fingerprint)
            .OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .Take(limit)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        newest.Reverse();
        return newest;
    }

    /// <summary>Silences, active and future first; expired ones only when <paramref name="includeExpired"/>.</summary>
    public async Task<IReadOnlyList<SilenceRow>> ListSilencesAsync(bool includeExpired, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<SilenceRow>().AsNoTracking();
        if (!includeExpired)
        {
            query = query.Where(s => s.EndsAt > now);
        }

        return (await query.ToListAsync(cancellationToken).ConfigureAwait(false)).OrderBy(s => s.EndsAt <= now).ThenBy(s => s.StartsAt).ToArray();
    }

    public async Task<SilenceRow?> GetSilenceAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<SilenceRow>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
    }
}
