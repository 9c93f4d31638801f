using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Overview;

/// <summary>
/// A sending domain's blacklist listings: over its name, return-path and DKIM signing domains and its sending IPs, on
/// the zones configured now. <see cref="Checked"/> is how many (target, zone) pairs have a stored result (0: not checked),
/// <see cref="Verdicts"/> how many of them had a definitive verdict once (0: every list refused or failed so far).
/// </summary>
public sealed record BlacklistReadiness(int Listings, int Checked, int Verdicts, IReadOnlyList<string> ListedTargets);

/// <summary>The latest placement run's inbox rate (null when every seed was an error), for the domain its messages are From.</summary>
public sealed record PlacementReadiness(Guid RunId, string SendPath, DateTimeOffset At, double? InboxRate, bool BelowThreshold);

/// <summary>The Overview's blacklist and placement columns of every domain, from one load.</summary>
public sealed class ReadinessSnapshot(
    IReadOnlyDictionary<string, BlacklistReadiness> blacklists,
    string? placementDomain,
    PlacementReadiness? latestRun)
{
    public static readonly ReadinessSnapshot Empty = new(new Dictionary<string, BlacklistReadiness>(), null, null);

    /// <summary>The monitored domain placement tests judge (the From of <c>Monitor:Placement:Message</c>, or the closest monitored parent), or null.</summary>
    public string? PlacementDomain { get; } = placementDomain;

    public BlacklistReadiness BlacklistsOf(string domain) => blacklists.GetValueOrDefault(domain) ?? new BlacklistReadiness(0, 0, 0, []);

    /// <summary>The latest run when <paramref name="domain"/> is the one placement tests send From, else null.</summary>
    public PlacementReadiness? PlacementOf(string domain) => domain == PlacementDomain ? latestRun : null;

    public bool HasPlacementRun => latestRun is not null;
}

/// <summary>
/// Reads the Overview's Blacklists and Placement columns for every domain with one query per source (blacklist states
/// grouped by target in SQL, the newest placement run row, the domain catalog), shared by all open dashboards like
/// <see cref="DomainBoard"/>'s tiles: a page asks for data loaded after its newest live event and gets the shared
/// snapshot when it is recent enough. Snapshots are also renewed after <see cref="MaxAge"/>, because a first blacklist
/// check that finds nothing publishes no event.
/// </summary>
public sealed class ReadinessBoard(
    MonitoredDomainCatalog catalog,
    BlacklistMonitor blacklists,
    IOptionsMonitor<PlacementOptions> placement,
    IOptionsMonitor<AlertOptions> alerts,
    IDbContextFactory<MonitorDbContext> contexts,
    TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Loaded? _snapshot;

    private sealed record Loaded(DateTimeOffset StartedAt, ReadinessSnapshot Snapshot);

    /// <summary>A snapshot from a load that started at or after <paramref name="loadedAfter"/> and is not older than <see cref="MaxAge"/>.</summary>
    public async Task<ReadinessSnapshot> GetAsync(DateTimeOffset loadedAfter, CancellationToken cancellationToken)
    {
        var oldest = Max(loadedAfter, time.GetUtcNow() - MaxAge);
        if (Volatile.Read(ref _snapshot) is { } recent && recent.StartedAt >= oldest)
        {
            return recent.Snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loadedMeanwhile && loadedMeanwhile.StartedAt >= oldest)
            {
                return loadedMeanwhile.Snapshot;
            }

            var started = time.GetUtcNow();
            var snapshot = await LoadAsync(cancellationToken);
            Volatile.Write(ref _snapshot, new Loaded(started, snapshot));
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<ReadinessSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var domains = await catalog.GetAllAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var zones = blacklists.Zones.Select(z => z.Name).ToArray();
        var perTarget = await db.Set<BlacklistStateRow>().AsNoTracking()
            .Where(s => zones.Contains(s.Zone))
            .GroupBy(s => s.Target)
            .Select(g => new { Target = g.Key, Checked = g.Count(), Verdicts = g.Count(s => s.State != null), Listed = g.Count(s => s.State == BlacklistEventRow.Listed) })
            .ToDictionaryAsync(t => t.Target, StringComparer.Ordinal, cancellationToken);
        var latest = await db.Set<PlacementRunRow>().AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);

        var byDomain = new Dictionary<string, BlacklistReadiness>(StringComparer.Ordinal);
        foreach (var domain in domains)
        {
            int listings = 0, checkedPairs = 0, verdicts = 0;
            var listed = new List<string>();
            foreach (var target in BlacklistTargets.Of(domain.Domain).Select(t => t.Text))
            {
                if (perTarget.TryGetValue(target, out var counts))
                {
                    listings += counts.Listed;
                    checkedPairs += counts.Checked;
                    verdicts += counts.Verdicts;
                    if (counts.Listed > 0)
                    {
                        listed.Add(target);
                    }
                }
            }

            byDomain[domain.Name.Ascii] = new BlacklistReadiness(listings, checkedPairs, verdicts, listed);
        }

        PlacementReadiness? run = null;
        if (latest is not null)
        {
            var measured = latest.Seeds - latest.Errors;
            double? rate = measured == 0 ? null : (double)latest.Inbox / measured;
            run = new PlacementReadiness(latest.Id, latest.SendPath, latest.FinishedAt, rate, rate < alerts.CurrentValue.Rules.InboxRate.Threshold);
        }

        return new ReadinessSnapshot(byDomain, PlacementDomain(placement.CurrentValue.Message.From, domains.Select(d => d.Name.Ascii)), run);
    }

    /// <summary>
    /// The monitored domain the placement messages speak for: the From address's domain when it is monitored, else its
    /// closest monitored parent (news.example.com sends for example.com); null when there is none or no From.
    /// </summary>
    public static string? PlacementDomain(string from, IEnumerable<string> monitored)
    {
        if (string.IsNullOrWhiteSpace(from) || !MailboxAddress.TryParse(from.Trim(), out var mailbox) || !DomainName.TryParse(mailbox.Domain, out var domain, out _))
        {
            return null;
        }

        var name = domain.Ascii;
        return monitored.Where(d => name == d || name.EndsWith("." + d, StringComparison.Ordinal)).MaxBy(d => d.Length);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
