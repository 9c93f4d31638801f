using Microsoft.EntityFrameworkCore;
using Monitor.Core.Audits;
using Monitor.Core.Monitoring;
using Monitor.Core.Storage;

namespace Monitor.Server.Dashboard;

/// <summary>One change of status of one check, as a mark of a domain's strip.</summary>
public sealed record StripMark(string Check, CheckStatus? From, CheckStatus To, DateTimeOffset At, string Summary);

/// <summary>A monitored domain as the left column and the overview show it. Status is null until its first audit.</summary>
public sealed record DomainTile(string Domain, DomainOrigin Origin, CheckStatus? Status, DateTimeOffset? CheckedAt, int Errors, int Warnings, IReadOnlyList<StripMark> Strip);

/// <summary>Everything the domain page shows.</summary>
public sealed record DomainDetail(CatalogDomain Domain, StoredAudit? Latest, IReadOnlyList<CheckTransitionRow> History);

/// <summary>Reads what the dashboard shows from the result store: one query per page, whatever the number of domains.</summary>
/// <remarks>
/// The tiles of every domain are one snapshot shared by all open dashboards: a page asks for tiles "loaded after" the
/// last live event it saw, and gets the shared snapshot when it is recent enough, else one load that concurrent pages
/// wait for. So a stream of results costs one query at a time, not one per open page, and pages share the memory.
/// </remarks>
public sealed class DomainBoard(MonitoredDomainCatalog catalog, AuditResultStore store, IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private TileSnapshot? _snapshot;

    private sealed record TileSnapshot(DateTimeOffset StartedAt, IReadOnlyList<DomainTile> Tiles);

    /// <summary>How many recent changes a strip shows, oldest left.</summary>
    public const int StripLength = 20;

    public const int HistoryLength = 200;

    /// <summary>Tiles from a load that started at or after <paramref name="loadedAfter"/> (so they include every result stored before it).</summary>
    public async Task<IReadOnlyList<DomainTile>> GetTilesAsync(DateTimeOffset loadedAfter, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _snapshot) is { } recent && recent.StartedAt >= loadedAfter)
        {
            return recent.Tiles;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loadedMeanwhile && loadedMeanwhile.StartedAt >= loadedAfter)
            {
                return loadedMeanwhile.Tiles;
            }

            var started = time.GetUtcNow();
            var tiles = await LoadTilesAsync(cancellationToken);
            Volatile.Write(ref _snapshot, new TileSnapshot(started, tiles));
            return tiles;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Tiles loaded now.</summary>
    public Task<IReadOnlyList<DomainTile>> GetTilesAsync(CancellationToken cancellationToken) => GetTilesAsync(time.GetUtcNow(), cancellationToken);

    private async Task<IReadOnlyList<DomainTile>> LoadTilesAsync(CancellationToken cancellationToken)
    {
        var domains = await catalog.GetAllAsync(cancellationToken);
        var summaries = (await store.GetSummariesAsync(cancellationToken)).ToDictionary(s => s.Domain, StringComparer.Ordinal);
        var strips = await RecentChangesAsync(cancellationToken);
        return domains.Select(d =>
        {
            var strip = strips.TryGetValue(d.Name, out var marks) ? marks : [];
            return summaries.TryGetValue(d.Name, out var s)
                ? new DomainTile(d.Name, d.Origin, s.Status, s.CheckedAt, s.Errors, s.Warnings, strip)
                : new DomainTile(d.Name, d.Origin, null, null, 0, 0, strip);
        }).ToArray();
    }

    public async Task<DomainDetail?> GetDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var found = await catalog.FindAsync(domain, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var latest = await store.GetLatestAsync(found.Name, cancellationToken);
        var history = await store.GetHistoryAsync(found.Name, check: null, HistoryLength, cancellationToken);
        return new DomainDetail(found, latest, history);
    }

    /// <summary>The last <see cref="StripLength"/> changes of every domain, oldest first (ROW_NUMBER per domain in SQL).</summary>
    private async Task<Dictionary<string, StripMark[]>> RecentChangesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.DomainAudits.AsNoTracking()
            .SelectMany(a => db.CheckTransitions.Where(t => t.Domain == a.Domain).OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(StripLength))
            .Select(t => new { t.Domain, t.Check, t.FromStatus, t.ToStatus, t.At, t.Summary, t.Id })
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(r => r.Domain, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => new StripMark(r.Check, r.FromStatus, r.ToStatus, r.At, r.Summary)).ToArray(), StringComparer.Ordinal);
    }
}
