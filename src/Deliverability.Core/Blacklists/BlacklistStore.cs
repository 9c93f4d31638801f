using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Blacklists;

/// <summary>Published on <c>LiveFeed&lt;BlacklistChanged&gt;</c> when a target is listed on a zone or delisted from it.</summary>
/// <param name="Kind"><c>listed</c> or <c>delisted</c>.</param>
/// <param name="Duration">How long the listing lasted (delisted only).</param>
public sealed record BlacklistChanged(
    string Target,
    string Zone,
    string Kind,
    DateTimeOffset At,
    DateTimeOffset ListedSince,
    TimeSpan? Duration,
    IReadOnlyList<string> Codes,
    string? Meaning)
{
    public static BlacklistChanged From(BlacklistEventRow row) => new(
        row.Target,
        row.Zone,
        row.Kind,
        row.At,
        row.ListedSince,
        row.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        BlacklistStore.SplitCodes(row.Codes),
        row.Meaning);
}

/// <summary>
/// Stores blacklist verdicts: the state of each (target, zone) and one event per listing and per delisting. Only a
/// definitive verdict (<see cref="BlacklistVerdict.IsDefinitive"/>) moves state or makes an event; refused, error,
/// capped and untrusted answers only update the last attempt, so a blocked or over-budget list never "delists" anyone.
/// A report is written in one transaction: a crash keeps either all of it or none.
/// </summary>
public sealed class BlacklistStore(IDbContextFactory<MonitorDbContext> contexts)
{
    // A scheduled check and a check on demand may save at once; both would insert the same first rows.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Saves every verdict of <paramref name="report"/> as seen at <paramref name="checkedAt"/>. Returns the events it recorded.</summary>
    public async Task<IReadOnlyList<BlacklistEventRow>> SaveAsync(BlacklistReport report, DateTimeOffset checkedAt, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whole milliseconds, as SQLite keeps them: a duration computed now matches one computed from stored times later.
            var at = new DateTimeOffset(checkedAt.UtcTicks - (checkedAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            return await SaveLockedAsync(report, at, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<BlacklistEventRow>> SaveLockedAsync(BlacklistReport report, DateTimeOffset checkedAt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var targets = report.Verdicts.Select(v => v.Target.Text).Distinct().ToList();
        var current = (await db.Set<BlacklistStateRow>().Where(s => targets.Contains(s.Target)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => (s.Target, s.Zone));
        var events = new List<BlacklistEventRow>();
        foreach (var verdict in report.Verdicts)
        {
            var key = (verdict.Target.Text, verdict.Zone.Name);
            if (!current.TryGetValue(key, out var state))
            {
                state = new BlacklistStateRow { Target = key.Text, Zone = key.Name, LastStatus = verdict.StatusWord, LastMessage = verdict.Message };
                db.Set<BlacklistStateRow>().Add(state);
                current[key] = state;
            }

            if (verdict.IsDefinitive)
            {
                Apply(state, verdict, checkedAt, events);
            }

            state.LastStatus = verdict.StatusWord;
            state.LastCapped = verdict.Capped;
            state.LastUntrusted = verdict.Untrusted;
            state.LastMessage = verdict.IsDefinitive ? verdict.Message : KeptStateNote(state, verdict);
            state.CheckedAt = checkedAt;
        }

        db.Set<BlacklistEventRow>().AddRange(events);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return events;
    }

    private static void Apply(BlacklistStateRow state, BlacklistVerdict verdict, DateTimeOffset checkedAt, List<BlacklistEventRow> events)
    {
        var codes = JoinCodes(verdict);
        var listed = verdict.Status == BlacklistStatus.Listed;
        if (listed && state.State != BlacklistEventRow.Listed)
        {
            state.State = BlacklistEventRow.Listed;
            state.StateSince = checkedAt;
            events.Add(new BlacklistEventRow { Target = state.Target, Zone = state.Zone, Kind = BlacklistEventRow.Listed, At = checkedAt, ListedSince = checkedAt, Codes = codes, Meaning = verdict.Meaning });
        }
        else if (!listed && state.State == BlacklistEventRow.Listed)
        {
            var since = state.StateSince ?? checkedAt;
            events.Add(new BlacklistEventRow
            {
                Target = state.Target,
                Zone = state.Zone,
                Kind = BlacklistEventRow.Delisted,
                At = checkedAt,
                ListedSince = since,
                DurationSeconds = (checkedAt - since).TotalSeconds,
                Codes = state.Codes,
                Meaning = state.Meaning,
            });
            state.State = "not_listed";
            state.StateSince = checkedAt;
        }
        else if (state.State is null)
        {
            state.State = "not_listed";
            state.StateSince = checkedAt;
        }

        // A listing whose codes change (SBL to SBL+XBL) stays one listing: its codes and meaning are refreshed.
        state.Codes = listed ? codes : "";
        state.Meaning = listed ? verdict.Meaning : null;
        state.ReasonText = listed ? verdict.ReasonText : null;
        state.VerdictAt = checkedAt;
    }

    private static string KeptStateNote(BlacklistStateRow state, BlacklistVerdict verdict)
    {
        var kept = state.State switch
        {
            BlacklistEventRow.Listed => $"; the last known state is kept: listed since {state.StateSince:u}",
            "not_listed" => $"; the last known state is kept: not listed (as of {state.VerdictAt:u})",
            _ => "; no verdict yet",
        };
        return verdict.Message + kept;
    }

    /// <summary>Stores the day's query counts (one row per zone and day, replaced), and drops rows of days before yesterday.</summary>
    /// <remarks>
    /// A scheduled check and a check on demand can end at once; on a new UTC day both would insert the day's first row and
    /// one would fail on the unique (zone, day) index. Saves are serialized here, and one that loses to another node is
    /// read again and merged (the higher count wins).
    /// </remarks>
    public async Task SaveQueryCountsAsync(IReadOnlyList<BlacklistQueryCount> counts, CancellationToken cancellationToken = default)
    {
        if (counts.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await SaveQueryCountsLockedAsync(counts, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Another node inserted the same (zone, day) first: the next attempt finds its row and keeps the higher count.
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // An existing row is raised in one statement (never lowered), so a save on another node between the read and the
    // write cannot be undone by this one; a row inserted meanwhile by another node fails the insert and is retried.
    private async Task SaveQueryCountsLockedAsync(IReadOnlyList<BlacklistQueryCount> counts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var days = counts.Select(c => c.Day).Distinct().ToArray();
        var stored = (await db.Set<BlacklistQueryCountRow>().AsNoTracking().Where(r => days.Contains(r.Day))
            .Select(r => new { r.Zone, r.Day }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(r => (r.Zone, r.Day)).ToHashSet();
        foreach (var count in counts)
        {
            if (!stored.Contains((count.Zone, count.Day)))
            {
                db.Set<BlacklistQueryCountRow>().Add(new BlacklistQueryCountRow { Zone = count.Zone, Day = count.Day, Used = count.Used });
                continue;
            }

            var (zone, day, used) = (count.Zone, count.Day, count.Used);
            await db.Set<BlacklistQueryCountRow>().Where(r => r.Zone == zone && r.Day == day && r.Used < used)
                .ExecuteUpdateAsync(setters => setters.SetProperty(r => r.Used, used), cancellationToken).ConfigureAwait(false);
        }

        var oldest = days.Min().AddDays(-1);
        await db.Set<BlacklistQueryCountRow>().Where(r => r.Day < oldest).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored query counts of <paramref name="day"/>.</summary>
    public async Task<IReadOnlyList<BlacklistQueryCount>> GetQueryCountsAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<BlacklistQueryCountRow>().AsNoTracking().Where(r => r.Day == day)
            .Select(r => new BlacklistQueryCount(r.Zone, r.Day, r.Used)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of every (target, zone) pair, or of one target's, ordered by target then zone.</summary>
    public async Task<IReadOnlyList<BlacklistStateRow>> GetStatesAsync(string? target = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<BlacklistStateRow>().AsNoTracking();
        if (target is not null)
        {
            query = query.Where(s => s.Target == target);
        }

        return await query.OrderBy(s => s.Target).ThenBy(s => s.Zone).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The (target, zone) pairs listed now. Asked on every alert evaluation: only listed rows are read.</summary>
    public async Task<IReadOnlyList<BlacklistStateRow>> GetListedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<BlacklistStateRow>().AsNoTracking().Where(s => s.State == BlacklistEventRow.Listed)
            .OrderBy(s => s.Target).ThenBy(s => s.Zone).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Listing and delisting events, newest first, of one target and/or zone when given.</summary>
    public async Task<IReadOnlyList<BlacklistEventRow>> GetEventsAsync(string? target, string? zone, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Set<BlacklistEventRow>().AsNoTracking();
        if (target is not null)
        {
            query = query.Where(e => e.Target == target);
        }

        if (zone is not null)
        {
            query = query.Where(e => e.Zone == zone);
        }

        return await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public static IReadOnlyList<string> SplitCodes(string codes) => codes.Length == 0 ? [] : codes.Split(',');

    private static string JoinCodes(BlacklistVerdict verdict) =>
        string.Join(",", verdict.Codes.Select(c => c.ToString()));
}
