using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Placement;

/// <summary>A stored run with the run before it, for the comparison.</summary>
public sealed record StoredPlacementRun(PlacementRunReport Run, PlacementRunReport? Previous)
{
    public IReadOnlyList<PlacementDelta> Deltas => PlacementDelta.Between(Run, Previous);
}

/// <summary>Stores placement runs and their seed results (one transaction per run: a run is kept whole or not at all).</summary>
public sealed class PlacementResultStore(IDbContextFactory<MonitorDbContext> contexts)
{
    public async Task SaveAsync(PlacementRunReport report, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var overall = report.Overall;
        db.Set<PlacementRunRow>().Add(new PlacementRunRow
        {
            Id = report.Id,
            SendPath = report.SendPath,
            StartedAt = report.StartedAt.ToUniversalTime(),
            FinishedAt = report.FinishedAt.ToUniversalTime(),
            Seeds = overall.Seeds,
            Inbox = overall.Inbox,
            Spam = overall.Spam,
            Other = overall.Other,
            Missing = overall.Missing,
            Errors = overall.Errors,
        });
        db.Set<PlacementSeedResultRow>().AddRange(report.Seeds.Select((s, i) => new PlacementSeedResultRow
        {
            RunId = report.Id,
            Position = i,
            Provider = s.Provider,
            Address = s.Address,
            Placement = s.Status.Word(),
            Folder = s.Folder,
            SentAt = s.SentAt?.ToUniversalTime(),
            ArrivedAt = s.ArrivedAt?.ToUniversalTime(),
            Spf = s.Authentication.Spf,
            Dkim = s.Authentication.Dkim,
            Dmarc = s.Authentication.Dmarc,
            AuthenticationResultsJson = JsonSerializer.Serialize(s.AuthenticationResults),
            Error = s.Error,
        }));

        // SaveChanges is one transaction: the run row and its seed rows land together.
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest runs first (summaries only: the counts are on the run row).</summary>
    public async Task<IReadOnlyList<PlacementRunRow>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<PlacementRunRow>().AsNoTracking().OrderByDescending(r => r.StartedAt).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredPlacementRun?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Set<PlacementRunRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        return run is null ? null : await WithPreviousAsync(db, run, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredPlacementRun?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var run = await db.Set<PlacementRunRow>().AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return run is null ? null : await WithPreviousAsync(db, run, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StoredPlacementRun> WithPreviousAsync(MonitorDbContext db, PlacementRunRow run, CancellationToken cancellationToken)
    {
        var previous = await db.Set<PlacementRunRow>().AsNoTracking()
            .Where(r => r.StartedAt < run.StartedAt)
            .OrderByDescending(r => r.StartedAt)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return new StoredPlacementRun(
            await ReportAsync(db, run, cancellationToken).ConfigureAwait(false),
            previous is null ? null : await ReportAsync(db, previous, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<PlacementRunReport> ReportAsync(MonitorDbContext db, PlacementRunRow run, CancellationToken cancellationToken)
    {
        var seeds = await db.Set<PlacementSeedResultRow>().AsNoTracking().Where(s => s.RunId == run.Id).OrderBy(s => s.Position).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new PlacementRunReport(run.Id, run.SendPath, run.StartedAt, run.FinishedAt, [.. seeds.Select(s => new SeedPlacement(
            s.Provider,
            s.Address,
            SeedPlacementStatusWords.Parse(s.Placement),
            s.Folder,
            s.SentAt,
            s.ArrivedAt,
            new ReceiverAuthentication(s.Spf, s.Dkim, s.Dmarc),
            JsonSerializer.Deserialize<string[]>(s.AuthenticationResultsJson) ?? [],
            s.Error))]);
    }
}
