using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.LoadTests;

/// <summary>A run without its report and curve: what lists, filters and the Overview read.</summary>
public sealed record LoadTestRunSummary(
    Guid Id,
    string Scenario,
    string Kind,
    string? SendPath,
    string Origin,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    LoadTestRunStatus Status,
    string? Reason,
    string? StopReason,
    bool? ThresholdsHeld,
    double? KneeRate,
    double? AchievedRate,
    double? P99Ms,
    double? ErrorRate,
    long? Completed);

/// <summary>Which runs a list shows, newest first.</summary>
public sealed record LoadTestRunQuery(int Limit, string? Scenario = null, string? SendPath = null);

/// <summary>How a run ended: the numbers of its report, the report and the curve as JSON.</summary>
public sealed record LoadTestRunEnd(
    LoadTestRunStatus Status,
    DateTimeOffset EndedAt,
    string? Reason = null,
    string? StopReason = null,
    bool? ThresholdsHeld = null,
    double? KneeRate = null,
    double? AchievedRate = null,
    double? P99Ms = null,
    double? ErrorRate = null,
    long? Completed = null,
    string? ReportJson = null,
    string? CapacityJson = null);

/// <summary>
/// Stores load-test runs: a row when a run starts (so a crash never loses it), its progress while it goes, and its
/// end with the report. Each write is its own short transaction.
/// </summary>
public sealed class LoadTestRunStore(IDbContextFactory<MonitorDbContext> contexts)
{
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 1000;

    /// <summary>How many completed runs <see cref="LatestCompletedAsync"/> looks through.</summary>
    public const int LatestWindow = 500;

    public async Task AddAsync(LoadTestRunRow row, CancellationToken cancellationToken = default)
    {
        row.StartedAt = row.StartedAt.ToUniversalTime();
        row.EndedAt = row.EndedAt?.ToUniversalTime();
        row.Reason = Cut(row.Reason);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<LoadTestRunRow>().Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The numbers so far of a run that is still <see cref="LoadTestRunStatus.Running"/>; false when it is not (any more).</summary>
    public async Task<bool> SaveProgressAsync(Guid id, double achievedRate, double p99Ms, double errorRate, long completed, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var changed = await db.Set<LoadTestRunRow>()
            .Where(r => r.Id == id && r.Status == LoadTestRunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.AchievedRate, achievedRate)
                .SetProperty(r => r.P99Ms, p99Ms)
                .SetProperty(r => r.ErrorRate, errorRate)
                .SetProperty(r => r.Completed, completed), cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Records how the run ended; false when no run has <paramref name="id"/>.</summary>
    public async Task<bool> FinishAsync(Guid id, LoadTestRunEnd end, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<LoadTestRunRow>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        row.Status = end.Status;
        row.EndedAt = end.EndedAt.ToUniversalTime();
        row.Reason = Cut(end.Reason);
        row.StopReason = end.StopReason;
        row.ThresholdsHeld = end.ThresholdsHeld;
        row.KneeRate = end.KneeRate;
        row.AchievedRate = end.AchievedRate ?? row.AchievedRate;
        row.P99Ms = end.P99Ms ?? row.P99Ms;
        row.ErrorRate = end.ErrorRate ?? row.ErrorRate;
        row.Completed = end.Completed ?? row.Completed;
        row.ReportJson = end.ReportJson;
        row.CapacityJson = end.CapacityJson;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Marks the runs <paramref name="node"/> left running (the process was killed before it could store their end)
    /// as aborted; returns how many.
    /// </summary>
    public async Task<int> AbortLeftoversAsync(string node, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ended = at.ToUniversalTime();
        return await db.Set<LoadTestRunRow>()
            .Where(r => r.Node == node && r.Status == LoadTestRunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, LoadTestRunStatus.Aborted)
                .SetProperty(r => r.EndedAt, ended)
                .SetProperty(r => r.Reason, "The service stopped before the run ended; its end was not recorded."), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LoadTestRunSummary>> ListAsync(LoadTestRunQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<LoadTestRunRow>().AsNoTracking();
        if (query.Scenario is { } scenario)
        {
            rows = rows.Where(r => r.Scenario == scenario);
        }

        if (query.SendPath is { } sendPath)
        {
            rows = rows.Where(r => r.SendPath == sendPath);
        }

        return await Summaries(rows.OrderByDescending(r => r.StartedAt).Take(query.Limit)).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest completed runs (at most <see cref="LatestWindow"/>), newest first.</summary>
    public async Task<IReadOnlyList<LoadTestRunSummary>> LatestCompletedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<LoadTestRunRow>().AsNoTracking().Where(r => r.Status == LoadTestRunStatus.Completed)
            .OrderByDescending(r => r.StartedAt).Take(LatestWindow);
        return await Summaries(rows).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run with its report and curve, or null.</summary>
    public async Task<LoadTestRunRow?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<LoadTestRunRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public static LoadTestRunSummary Summary(LoadTestRunRow r) => new(
        r.Id, r.Scenario, r.Kind, r.SendPath, r.Origin, r.StartedBy, r.StartedAt, r.EndedAt, r.Status, r.Reason, r.StopReason,
        r.ThresholdsHeld, r.KneeRate, r.AchievedRate, r.P99Ms, r.ErrorRate, r.Completed);

    private static IQueryable<LoadTestRunSummary> Summaries(IQueryable<LoadTestRunRow> rows) => rows.Select(r => new LoadTestRunSummary(
        r.Id, r.Scenario, r.Kind, r.SendPath, r.Origin, r.StartedBy, r.StartedAt, r.EndedAt, r.Status, r.Reason, r.StopReason,
        r.ThresholdsHeld, r.KneeRate, r.AchievedRate, r.P99Ms, r.ErrorRate, r.Completed));

    private static string? Cut(string? reason) =>
        reason is null || reason.Length <= MaxReasonLength ? reason : reason[..(MaxReasonLength - 3)] + "...";
}
