using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Domains;

/// <summary>One change of status of one check, as a mark of a domain's strip.</summary>
public sealed record StripMark(string Check, CheckStatus? From, CheckStatus To, DateTimeOffset At, string Summary);

/// <summary>A monitored domain as the left column and the overview show it. Status is null until its first audit.</summary>
public sealed record DomainTile(string Domain, DomainOrigin Origin, CheckStatus? Status, DateTimeOffset? CheckedAt, int Errors, int Warnings, IReadOnlyList<StripMark> Strip);

/// <summary>Everything the domain page shows.</summary>
public sealed record DomainDetail(CatalogDomain Domain, StoredAudit? Latest, IReadOnlyList<CheckTransitionRow> History);

/// <summary>Reads what the dashboard shows from the result store.</summary>
/// <remarks>
/// The tiles of every domain are one snapshot shared by all open dashboards, kept up to date INCREMENTALLY: every audit
/// announced on <see cref="LiveFeed{T}"/> marks its domain (an observer, so before any page hears of it), and the next
/// read re-reads only the marked domains and shares every other tile object with the previous snapshot. So a stream of
/// results costs a small query per burst, not a read of 1,000 domains per open page, and pages hold the same tiles.
/// The whole list is read again when a domain is added or removed, and at least every <see cref="FullReloadAfter"/>
/// (results stored by another node reach the feed only through the live push between nodes, which may be off or down).
/// </remarks>
public sealed class DomainBoard : IDisposable
{
    /// <summary>How many recent changes a strip shows, oldest left.</summary>
    public const int StripLength = 20;

    public const int HistoryLength = 200;

    /// <summary>Above this many changed domains one full read is cheaper than a small read per domain.</summary>
    private const int MaxIncremental = 64;

    /// <summary>The longest a snapshot is used without reading every domain again.</summary>
    public static readonly TimeSpan FullReloadAfter = TimeSpan.FromSeconds(60);

    private readonly MonitoredDomainCatalog _catalog;
    private readonly AuditResultStore _store;
    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly IDisposable _observation;
    private readonly SemaphoreSlim _loading = new(1, 1);

    // Domains with an audit announced since the snapshot read them (a set: the value is unused), and how many audits
    // were announced in all: a read that starts after the Nth announcement covers every caller that came before it.
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);
    private long _announced;
    private TileSnapshot? _snapshot;

    private sealed record TileSnapshot(DateTimeOffset FullyReadAt, long CatalogVersion, long AnnouncedBefore, DomainTile[] Tiles, Dictionary<string, int> Positions);

    public DomainBoard(MonitoredDomainCatalog catalog, AuditResultStore store, IDbContextFactory<MonitorDbContext> contexts, LiveFeed<DomainAuditCompleted> completed, TimeProvider time)
    {
        _catalog = catalog;
        _store = store;
        _contexts = contexts;
        _time = time;
        _observation = completed.Observe(e =>
        {
            _changed[e.Domain] = 0; // marked first, counted second: whoever sees the count finds the mark
            Interlocked.Increment(ref _announced);
        });
    }

    /// <summary>The tiles of every monitored domain, including every audit announced on the live feed before this call.</summary>
    /// <remarks>
    /// Callers that arrive while a read is running wait for the next one and share it: with many open pages asking at
    /// once, the reads do not queue up one per page.
    /// </remarks>
    public async Task<IReadOnlyList<DomainTile>> GetTilesAsync(CancellationToken cancellationToken)
    {
        var wanted = Interlocked.Read(ref _announced);
        if (Volatile.Read(ref _snapshot) is { } current && Covers(current, wanted))
        {
            return current.Tiles;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            var snapshot = _snapshot;
            if (snapshot is not null && Covers(snapshot, wanted))
            {
                return snapshot.Tiles; // read by the caller before this one, after this call began
            }

            var announced = Interlocked.Read(ref _announced);
            if (snapshot is null || !IsWhole(snapshot) || _changed.Count > MaxIncremental)
            {
                // Marks dropped before the read, which includes every result they announced (stored before announced).
                _changed.Clear();
                snapshot = await ReadAllAsync(announced, cancellationToken);
            }
            else
            {
                var domains = new List<string>();
                foreach (var domain in _changed.Keys)
                {
                    if (_changed.TryRemove(domain, out _))
                    {
                        domains.Add(domain);
                    }
                }

                try
                {
                    snapshot = await ReadChangedAsync(snapshot, domains, announced, cancellationToken);
                }
                catch
                {
                    // Not read (the database busy, a cancelled page): marked again, so the next caller reads them.
                    domains.ForEach(d => _changed[d] = 0);
                    throw;
                }
            }

            Volatile.Write(ref _snapshot, snapshot);
            return snapshot.Tiles;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Reads every tile from the store, bypassing the shared snapshot (what each page did before it existed; the benchmark's baseline).</summary>
    public async Task<IReadOnlyList<DomainTile>> ReadAllTilesAsync(CancellationToken cancellationToken) => (await ReadAllAsync(0, cancellationToken)).Tiles;

    private bool Covers(TileSnapshot snapshot, long announced) => snapshot.AnnouncedBefore >= announced && IsWhole(snapshot);

    private bool IsWhole(TileSnapshot snapshot) =>
        snapshot.CatalogVersion == _catalog.Version && _time.GetUtcNow() - snapshot.FullyReadAt < FullReloadAfter;

    private async Task<TileSnapshot> ReadAllAsync(long announced, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var version = _catalog.Version;
        var domains = await _catalog.GetAllAsync(cancellationToken);
        var summaries = (await _store.GetSummariesAsync(cancellationToken)).ToDictionary(s => s.Domain, StringComparer.Ordinal);
        var strips = await RecentChangesAsync(domains: null, cancellationToken);
        var tiles = domains.Select(d => Tile(d.Name.Ascii, d.Origin, summaries.GetValueOrDefault(d.Name.Ascii), strips)).ToArray();
        var positions = new Dictionary<string, int>(tiles.Length, StringComparer.Ordinal);
        for (var i = 0; i < tiles.Length; i++)
        {
            positions.TryAdd(tiles[i].Domain, i);
        }

        return new TileSnapshot(startedAt, version, announced, tiles, positions);
    }

    /// <summary>A copy of <paramref name="snapshot"/> with the tiles of <paramref name="domains"/> read again; the others are shared.</summary>
    private async Task<TileSnapshot> ReadChangedAsync(TileSnapshot snapshot, IReadOnlyList<string> domains, long announced, CancellationToken cancellationToken)
    {
        var listed = domains.Where(snapshot.Positions.ContainsKey).ToArray();
        if (listed.Length == 0)
        {
            return snapshot with { AnnouncedBefore = announced }; // domains no longer (or not yet) listed: the catalog version covers those
        }

        var summaries = (await _store.GetSummariesAsync(listed, cancellationToken)).ToDictionary(s => s.Domain, StringComparer.Ordinal);
        var strips = await RecentChangesAsync(listed, cancellationToken);
        var tiles = (DomainTile[])snapshot.Tiles.Clone();
        foreach (var domain in listed)
        {
            var position = snapshot.Positions[domain];
            tiles[position] = Tile(domain, tiles[position].Origin, summaries.GetValueOrDefault(domain), strips);
        }

        return snapshot with { Tiles = tiles, AnnouncedBefore = announced };
    }

    private static DomainTile Tile(string domain, DomainOrigin origin, StoredDomainSummary? summary, Dictionary<string, StripMark[]> strips)
    {
        var strip = strips.TryGetValue(domain, out var marks) ? marks : [];
        return summary is { } s
            ? new DomainTile(domain, origin, s.Status, s.CheckedAt, s.Errors, s.Warnings, strip)
            : new DomainTile(domain, origin, null, null, 0, 0, strip);
    }

    /// <summary>The domain named <paramref name="domain"/> in any form <see cref="DomainName"/> reads (a page's address), or null when it is not monitored.</summary>
    public async Task<DomainDetail?> GetDomainAsync(string domain, CancellationToken cancellationToken)
    {
        if (!DomainName.TryParse(domain, out var name, out _) || await _catalog.FindAsync(name, cancellationToken) is not { } found)
        {
            return null;
        }

        var latest = await _store.GetLatestAsync(name.Ascii, cancellationToken);
        var history = await _store.GetHistoryAsync(name.Ascii, check: null, HistoryLength, cancellationToken);
        return new DomainDetail(found, latest, history);
    }

    /// <summary>The last <see cref="StripLength"/> changes of each domain (of every audited one when null), oldest first.</summary>
    private async Task<Dictionary<string, StripMark[]>> RecentChangesAsync(IReadOnlyCollection<string>? domains, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        if (domains is null)
        {
            // Every domain in one query (ROW_NUMBER per domain in SQL): it numbers the whole history table, so it is only
            // worth it when every strip is wanted.
            var rows = await db.DomainAudits.AsNoTracking()
                .SelectMany(a => db.CheckTransitions.Where(t => t.Domain == a.Domain).OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(StripLength))
                .Select(t => new StripRow(t.Domain, t.Check, t.FromStatus, t.ToStatus, t.At, t.Summary, t.Id))
                .ToListAsync(cancellationToken);
            return rows.GroupBy(r => r.Domain, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Strip(g), StringComparer.Ordinal);
        }

        // A few domains: one small query each, on the (domain, ...) index, instead of numbering the whole history.
        var strips = new Dictionary<string, StripMark[]>(StringComparer.Ordinal);
        foreach (var domain in domains)
        {
            var rows = await db.CheckTransitions.AsNoTracking()
                .Where(t => t.Domain == domain)
                .OrderByDescending(t => t.At).ThenByDescending(t => t.Id)
                .Take(StripLength)
                .Select(t => new StripRow(t.Domain, t.Check, t.FromStatus, t.ToStatus, t.At, t.Summary, t.Id))
                .ToListAsync(cancellationToken);
            strips[domain] = Strip(rows);
        }

        return strips;
    }

    private sealed record StripRow(string Domain, string Check, CheckStatus? FromStatus, CheckStatus ToStatus, DateTimeOffset At, string Summary, long Id);

    private static StripMark[] Strip(IEnumerable<StripRow> newestFirst) =>
        newestFirst.OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => new StripMark(r.Check, r.FromStatus, r.ToStatus, r.At, r.Summary)).ToArray();

    public void Dispose()
    {
        _observation.Dispose();
        _loading.Dispose();
    }
}
