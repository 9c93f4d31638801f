using Microsoft.EntityFrameworkCore;
using Monitor.Core.Storage;

namespace Monitor.Core.Alerts;

/// <summary>Filters of the alert list; null means any.</summary>
/// <param name="Matchers">Label matchers, all of which must match.</param>
/// <param name="IncludeResolved">Whether resolved alerts are listed (only pending and firing by default).</param>
public sealed record AlertFilter(AlertState? State = null, IReadOnlyList<AlertMatcher>? Matchers = null, bool IncludeResolved = false, bool? Acknowledged = null, bool? Muted = null);

/// <summary>Reads what the engine stored: alerts, their history, silences (for the API; the engine writes).</summary>
public sealed class AlertStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertRow>> ListAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
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

        var rows = await query.ToListAsync(cancellationToken).ConfigureAwait(false);
        var matchers = filter.Matchers ?? [];
        return rows
            .Where(r => matchers.Count == 0 || AlertMatcher.MatchesAll(matchers, AlertJson.Map(r.LabelsJson)))
            .OrderBy(r => r.State == AlertState.Firing ? 0 : r.State == AlertState.Pending ? 1 : 2)
            .ThenByDescending(r => r.UpdatedAt)
            .ToArray();
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
