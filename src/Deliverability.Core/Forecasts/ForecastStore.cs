using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Forecasts;

/// <summary>One observation to store: the start of its period and the messages sent in it.</summary>
public readonly record struct HistoryPoint(DateTimeOffset Timestamp, double Count);

/// <summary>What an import did: points added, points whose count changed, points sent again unchanged, and the stream's total after it.</summary>
public sealed record HistoryImport(int Added, int Updated, int Unchanged, int Removed, int Total);

/// <summary>A stream with stored history: how many points, the first and the last.</summary>
public sealed record StoredStream(string Stream, int Points, DateTimeOffset First, DateTimeOffset Last);

/// <summary>
/// Send-volume history per stream, the planned campaigns and the forecasts made from them. An import merges by
/// timestamp (a point sent again replaces the stored count: importing the same file twice changes nothing), or
/// replaces the stream's whole history; either is one transaction.
/// </summary>
public sealed class ForecastStore(IDbContextFactory<MonitorDbContext> contexts)
{
    public const int MaxStreamLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxErrorLength = 1000;

    /// <summary>Merges <paramref name="points"/> (unique timestamps) into the stream's history, or replaces it when <paramref name="replace"/>.</summary>
    public async Task<HistoryImport> ImportHistoryAsync(string stream, IReadOnlyCollection<HistoryPoint> points, bool replace, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<VolumeHistoryRow>();
        var stored = rows.Where(r => r.Stream == stream);
        if (!replace && points.Count > 0)
        {
            var first = points.Min(p => p.Timestamp).ToUniversalTime();
            var last = points.Max(p => p.Timestamp).ToUniversalTime();
            stored = stored.Where(r => r.Timestamp >= first && r.Timestamp <= last);
        }

        var existing = await stored.ToDictionaryAsync(r => r.Timestamp.UtcTicks, cancellationToken).ConfigureAwait(false);
        int added = 0, updated = 0, unchanged = 0, removed = 0;
        var sent = new HashSet<long>();
        foreach (var point in points)
        {
            var at = point.Timestamp.ToUniversalTime();
            sent.Add(at.UtcTicks);
            if (existing.TryGetValue(at.UtcTicks, out var row))
            {
                if (row.Count.Equals(point.Count))
                {
                    unchanged++;
                }
                else
                {
                    row.Count = point.Count;
                    updated++;
                }
            }
            else
            {
                rows.Add(new VolumeHistoryRow { Stream = stream, Timestamp = at, Count = point.Count });
                added++;
            }
        }

        if (replace)
        {
            foreach (var row in existing.Where(e => !sent.Contains(e.Key)).Select(e => e.Value))
            {
                rows.Remove(row);
                removed++;
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var total = await rows.CountAsync(r => r.Stream == stream, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new HistoryImport(added, updated, unchanged, removed, total);
    }

    /// <summary>The stream's history, oldest first (empty when it has none).</summary>
    public Task<IReadOnlyList<HistoryPoint>> GetHistoryAsync(string stream, CancellationToken cancellationToken = default) =>
        ReadHistoryAsync(stream, null, cancellationToken);

    /// <summary>The history of <paramref name="stream"/> at or after <paramref name="from"/>, oldest first.</summary>
    public Task<IReadOnlyList<HistoryPoint>> GetHistoryAsync(string stream, DateTimeOffset from, CancellationToken cancellationToken = default) =>
        ReadHistoryAsync(stream, from.ToUniversalTime(), cancellationToken);

    private async Task<IReadOnlyList<HistoryPoint>> ReadHistoryAsync(string stream, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<VolumeHistoryRow>().AsNoTracking().Where(r => r.Stream == stream);
        if (from is { } start)
        {
            rows = rows.Where(r => r.Timestamp >= start);
        }

        var points = await rows.OrderBy(r => r.Timestamp).Select(r => new { r.Timestamp, r.Count }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. points.Select(r => new HistoryPoint(r.Timestamp.ToUniversalTime(), r.Count))];
    }

    public async Task<bool> HasHistoryAsync(string stream, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<VolumeHistoryRow>().AnyAsync(r => r.Stream == stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stream with history, by name.</summary>
    public async Task<IReadOnlyList<StoredStream>> ListStreamsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var streams = await db.Set<VolumeHistoryRow>().AsNoTracking()
            .GroupBy(r => r.Stream)
            .Select(g => new { Stream = g.Key, Points = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<StoredStream>();
        foreach (var stream in streams.OrderBy(s => s.Stream, StringComparer.Ordinal))
        {
            // Min/Max of a converted DateTimeOffset are not translated on SQLite; the first and last rows are.
            var rows = db.Set<VolumeHistoryRow>().AsNoTracking().Where(r => r.Stream == stream.Stream);
            var first = await rows.OrderBy(r => r.Timestamp).Select(r => r.Timestamp).FirstAsync(cancellationToken).ConfigureAwait(false);
            var last = await rows.OrderByDescending(r => r.Timestamp).Select(r => r.Timestamp).FirstAsync(cancellationToken).ConfigureAwait(false);
            result.Add(new StoredStream(stream.Stream, stream.Points, first.ToUniversalTime(), last.ToUniversalTime()));
        }

        return result;
    }

    public async Task AddCampaignAsync(PlannedCampaignRow campaign, CancellationToken cancellationToken = default)
    {
        campaign.CreatedAt = campaign.CreatedAt.ToUniversalTime();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<PlannedCampaignRow>().Add(campaign);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The campaigns (of one stream when given), by date.</summary>
    public async Task<IReadOnlyList<PlannedCampaignRow>> ListCampaignsAsync(string? stream = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<PlannedCampaignRow>().AsNoTracking();
        if (stream is not null)
        {
            rows = rows.Where(r => r.Stream == stream);
        }

        var list = await rows.ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. list.OrderBy(r => r.Date).ThenBy(r => r.Stream, StringComparer.Ordinal).ThenBy(r => r.CreatedAt)];
    }

    public async Task<int> CountCampaignsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<PlannedCampaignRow>().CountAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>False when no campaign has <paramref name="id"/>.</summary>
    public async Task<bool> DeleteCampaignAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<PlannedCampaignRow>().Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task AddRunAsync(ForecastRunRow run, CancellationToken cancellationToken = default)
    {
        run.CreatedAt = run.CreatedAt.ToUniversalTime();
        run.HistoryEnd = run.HistoryEnd?.ToUniversalTime();
        run.Error = Cut(run.Error);
        run.FallbackReason = Cut(run.FallbackReason);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<ForecastRunRow>().Add(run);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream's forecasts, newest first, without their points (the points are not read).</summary>
    public async Task<IReadOnlyList<ForecastRunRow>> ListRunsAsync(string stream, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ForecastRunRow>().AsNoTracking().Where(r => r.Stream == stream)
            .OrderByDescending(r => r.CreatedAt).Take(limit)
            .Select(r => new ForecastRunRow
            {
                Id = r.Id,
                Stream = r.Stream,
                CreatedAt = r.CreatedAt,
                Trigger = r.Trigger,
                StartedBy = r.StartedBy,
                Status = r.Status,
                Error = r.Error,
                Frequency = r.Frequency,
                Model = r.Model,
                ModelVersion = r.ModelVersion,
                FallbackReason = r.FallbackReason,
                IntervalLevel = r.IntervalLevel,
                HistoryEnd = r.HistoryEnd,
                HistoryPoints = r.HistoryPoints,
                Horizon = r.Horizon,
                BacktestWape = r.BacktestWape,
                BacktestMase = r.BacktestMase,
                BacktestCoverage = r.BacktestCoverage,
                SeasonalNaiveWape = r.SeasonalNaiveWape,
                BacktestOrigins = r.BacktestOrigins,
                BacktestHorizon = r.BacktestHorizon,
                RepairsJson = r.RepairsJson,
                CampaignsJson = r.CampaignsJson,
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream's newest completed forecast with its points, or null.</summary>
    public async Task<ForecastRunRow?> LatestCompletedAsync(string stream, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ForecastRunRow>().AsNoTracking().Where(r => r.Stream == stream && r.Status == ForecastRunStatus.Completed)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest completed forecast of every stream that has one, with its points, by stream.</summary>
    public async Task<IReadOnlyList<ForecastRunRow>> LatestCompletedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var completed = db.Set<ForecastRunRow>().AsNoTracking().Where(r => r.Status == ForecastRunStatus.Completed);
        // One query: the completed runs no completed run of the same stream is newer than.
        var rows = await completed
            .Where(r => !completed.Any(newer => newer.Stream == r.Stream && newer.CreatedAt > r.CreatedAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Two runs of one stream stored at the same instant: one is kept.
        return [.. rows.OrderBy(r => r.Stream, StringComparer.Ordinal).DistinctBy(r => r.Stream)];
    }

    /// <summary>One forecast with its points, or null.</summary>
    public async Task<ForecastRunRow?> GetRunAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ForecastRunRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    private static string? Cut(string? text) =>
        text is null || text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 3)] + "...";
}
