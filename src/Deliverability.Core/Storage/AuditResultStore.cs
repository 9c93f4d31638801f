using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Storage;

/// <summary>A domain's last audit with the current state of each of its checks.</summary>
public sealed record StoredAudit(DomainAuditRow Audit, IReadOnlyList<CheckStateRow> Checks);

/// <summary>A domain's last overall status and how many error and warning findings it had.</summary>
public sealed record StoredDomainSummary(string Domain, CheckStatus Status, DateTimeOffset CheckedAt, int Errors, int Warnings);

/// <summary>
/// Stores audit results: the current state of each check (with its bad streak and record drift, see
/// <see cref="StreakAndDrift"/>), one history row per change of status, and the last audit of each domain. Each domain is written in its own transaction, so a crash mid-cycle keeps every domain already saved.
/// </summary>
public sealed class AuditResultStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    // A scheduled cycle and an audit on demand may save the same domain at once; both would insert its first rows.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _domainLocks = new(StringComparer.Ordinal);

    /// <summary>Saves one audit. Returns the changes of status it recorded.</summary>
    public async Task<IReadOnlyList<CheckTransitionRow>> SaveAsync(DomainAuditReport report, CancellationToken cancellationToken = default)
    {
        var gate = _domainLocks.GetOrAdd(report.Domain, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SaveLockedAsync(report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<CheckTransitionRow>> SaveLockedAsync(DomainAuditReport report, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var checkedAt = report.CheckedAt.ToUniversalTime();
        var current = await db.CheckStates.Where(s => s.Domain == report.Domain).ToDictionaryAsync(s => s.Check, cancellationToken).ConfigureAwait(false);
        var transitions = new List<CheckTransitionRow>();
        foreach (var result in report.Checks)
        {
            var findings = StoredJson.Write(result.Findings);
            if (!current.Remove(result.Check, out var state))
            {
                state = new CheckStateRow { Domain = report.Domain, Check = result.Check, FindingsJson = "[]", RecordsJson = "[]", Since = checkedAt, BadRuns = 0 };
                db.CheckStates.Add(state);
                transitions.Add(Transition(report.Domain, result, from: null, checkedAt));
                StreakAndDrift.Record(state, result, findings, checkedAt);
            }
            else
            {
                StreakAndDrift.Record(state, result, findings, checkedAt); // while the row still holds the previous run
                if (state.Status != result.Status)
                {
                    transitions.Add(Transition(report.Domain, result, state.Status, checkedAt));
                    state.Since = checkedAt;
                }
            }

            state.Status = result.Status;
            state.FindingsJson = findings;
            state.RecordsJson = StoredJson.Write(result.Records);
            state.ErrorCount = result.Findings.Count(f => f.Severity == Severity.Error);
            state.WarningCount = result.Findings.Count(f => f.Severity == Severity.Warning);
            state.CheckedAt = checkedAt;
        }

        // A check that no longer runs (removed from the audit) has no current state.
        db.CheckStates.RemoveRange(current.Values);
        db.CheckTransitions.AddRange(transitions);

        var audit = await db.DomainAudits.FindAsync([report.Domain], cancellationToken).ConfigureAwait(false);
        if (audit is null)
        {
            audit = new DomainAuditRow { Domain = report.Domain };
            db.DomainAudits.Add(audit);
        }

        audit.Status = report.Status;
        audit.CheckedAt = checkedAt;

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return transitions;
    }

    public Task<IReadOnlyList<StoredDomainSummary>> GetSummariesAsync(CancellationToken cancellationToken = default) => GetSummariesAsync(null, cancellationToken);

    /// <summary>The summaries of <paramref name="domains"/> (of every audited domain when null); a domain never audited has none.</summary>
    public async Task<IReadOnlyList<StoredDomainSummary>> GetSummariesAsync(IReadOnlyCollection<string>? domains, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var auditQuery = db.DomainAudits.AsNoTracking();
        var stateQuery = db.CheckStates.AsNoTracking();
        if (domains is not null)
        {
            auditQuery = auditQuery.Where(a => domains.Contains(a.Domain));
            stateQuery = stateQuery.Where(s => domains.Contains(s.Domain));
        }

        var audits = await auditQuery.ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = await stateQuery
            .GroupBy(s => s.Domain)
            .Select(g => new { Domain = g.Key, Errors = g.Sum(s => s.ErrorCount), Warnings = g.Sum(s => s.WarningCount) })
            .ToDictionaryAsync(c => c.Domain, cancellationToken)
            .ConfigureAwait(false);
        return audits
            .Select(a => counts.TryGetValue(a.Domain, out var c)
                ? new StoredDomainSummary(a.Domain, a.Status, a.CheckedAt, c.Errors, c.Warnings)
                : new StoredDomainSummary(a.Domain, a.Status, a.CheckedAt, 0, 0))
            .ToArray();
    }

    /// <summary>The domains (of those stored) whose last audit is at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlySet<string>> GetAuditedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Compared here, not in SQL: SQLite stores the time as text, which does not order across offsets.
        var audits = await db.DomainAudits.AsNoTracking().Select(a => new { a.Domain, a.CheckedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return audits.Where(a => a.CheckedAt >= since).Select(a => a.Domain).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The last audit of <paramref name="domain"/>, or null when it was never audited.</summary>
    public async Task<StoredAudit?> GetLatestAsync(string domain, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var audit = await db.DomainAudits.AsNoTracking().SingleOrDefaultAsync(a => a.Domain == domain, cancellationToken).ConfigureAwait(false);
        if (audit is null)
        {
            return null;
        }

        var checks = await db.CheckStates.AsNoTracking().Where(s => s.Domain == domain).OrderBy(s => s.Check).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new StoredAudit(audit, checks);
    }

    /// <summary>Changes of status of a domain (of one check when <paramref name="check"/> is given), newest first.</summary>
    public async Task<IReadOnlyList<CheckTransitionRow>> GetHistoryAsync(string domain, string? check, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.CheckTransitions.AsNoTracking().Where(t => t.Domain == domain);
        if (!string.IsNullOrEmpty(check))
        {
            query = query.Where(t => t.Check == check);
        }

        return await query.OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes history older than the retention period and beyond the per-check maximum. Returns how many rows went.</summary>
    public async Task<int> ApplyRetentionAsync(RetentionOptions retention, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = time.GetUtcNow().AddDays(-retention.HistoryDays);
        var removed = await db.CheckTransitions.Where(t => t.At < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        var crowded = await db.CheckTransitions
            .GroupBy(t => new { t.Domain, t.Check })
            .Where(g => g.Count() > retention.MaxHistoryPerCheck)
            .Select(g => g.Key)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var key in crowded)
        {
            var kept = db.CheckTransitions
                .Where(t => t.Domain == key.Domain && t.Check == key.Check)
                .OrderByDescending(t => t.At).ThenByDescending(t => t.Id)
                .Take(retention.MaxHistoryPerCheck)
                .Select(t => t.Id);
            removed += await db.CheckTransitions
                .Where(t => t.Domain == key.Domain && t.Check == key.Check && !kept.Contains(t.Id))
                .ExecuteDeleteAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        return removed;
    }

    private static CheckTransitionRow Transition(string domain, CheckResult result, CheckStatus? from, DateTimeOffset at) => new()
    {
        Domain = domain,
        Check = result.Check,
        FromStatus = from,
        ToStatus = result.Status,
        At = at,
        Summary = Summarize(result),
    };

    private static string Summarize(CheckResult result)
    {
        var codes = result.Findings.Where(f => f.Severity != Severity.Info).Select(f => f.Code).Distinct().ToArray();
        var text = codes.Length == 0 ? result.Status.ToString().ToLowerInvariant() : string.Join(", ", codes);
        return text.Length <= 500 ? text : text[..497] + "...";
    }
}
