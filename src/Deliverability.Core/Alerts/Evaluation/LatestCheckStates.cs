using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Alerts.Rules;
using Deliverability.Core.Audits;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>The rules' view of <c>check_states</c>: each check's last run, bad streak and drift, kept in memory and read incrementally.</summary>
/// <remarks>
/// Reads only the rows checked since the previous read (with a margin: a domain's audit stores its start time, a
/// moment before it is saved), and every row again once an hour, when checks that no longer exist are forgotten. The
/// streak and the drift are recorded as each result is saved (<see cref="StreakAndDrift"/>): nothing here counts runs.
/// </remarks>
internal sealed class LatestCheckStates
{
    private static readonly TimeSpan ReadMargin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FullReadEvery = TimeSpan.FromHours(1);

    private readonly Dictionary<(string Domain, string Check), AuditedCheck> _byCheck = [];
    private DateTimeOffset? _lastFullRead;
    private DateTimeOffset? _lastRead;

    public IReadOnlyCollection<AuditedCheck> All => _byCheck.Values;

    public async Task RefreshAsync(MonitorDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var full = _lastFullRead is null || _lastRead is null || now - _lastFullRead >= FullReadEvery;
        var query = db.CheckStates.AsNoTracking();
        if (!full)
        {
            var since = _lastRead!.Value - ReadMargin;
            query = query.Where(s => s.CheckedAt > since);
        }

        // Findings only of a bad check and records only after a drift: those are shown; parsing every good result would cost the most.
        var rows = await query
            .Select(s => new
            {
                s.Domain,
                s.Check,
                s.Status,
                s.Since,
                s.CheckedAt,
                s.BadRuns,
                s.BadSince,
                s.BadStatus,
                BadFindingsJson = s.BadRuns == null ? (s.Status == CheckStatus.Error || s.Status == CheckStatus.Warning ? s.FindingsJson : null) : s.BadFindingsJson,
                s.DriftAt,
                RecordsJson = s.DriftAt == null ? null : s.RecordsBaselineJson,
                s.DriftPreviousJson,
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (full)
        {
            _byCheck.Clear();
            _lastFullRead = now;
        }

        foreach (var row in rows)
        {
            // A row an earlier release wrote has no streak columns until its next result: read as the store reads it.
            var (badRuns, badSince, badStatus) = StreakAndDrift.Streak(row.BadRuns, row.BadSince, row.BadStatus, row.Status, row.Since);
            _byCheck[(row.Domain, row.Check)] = new AuditedCheck(
                row.Domain,
                row.Check,
                row.CheckedAt,
                badRuns,
                badSince,
                badStatus,
                row.BadFindingsJson,
                row.DriftAt,
                row.RecordsJson,
                row.DriftPreviousJson);
        }

        _lastRead = now;
    }
}
