using Deliverability.Contracts.Placement;
using Deliverability.Core.Placement;

namespace Deliverability.Server.Placement;

/// <summary>What the Placement page shows about the seeds and send paths (configured and added in the dashboard): enough to say what is missing, never a password.</summary>
/// <param name="LastFailure">The latest run's failure, when it failed (it was not stored).</param>
public sealed record PlacementSetup(int Seeds, IReadOnlyList<string> Providers, IReadOnlyList<string> SendPaths, string From, bool Running, PlacementRunFailed? LastFailure = null)
{
    public bool CanRun => Seeds > 0 && SendPaths.Count > 0;
}

/// <summary>Reads placement runs for the Placement page and <c>/api/placement</c> alike (the same DTOs, so both say the same).</summary>
public sealed class PlacementBoard(PlacementResultStore store, PlacementRuns runs, PlacementCatalog catalog)
{
    /// <summary>How many past runs the page's strip shows, newest right.</summary>
    public const int RecentRuns = 30;

    /// <summary>One run in full with the comparison to the run before it; the latest when <paramref name="id"/> is null; null when there is none.</summary>
    public async Task<PlacementRunDto?> GetRunAsync(Guid? id, CancellationToken cancellationToken)
    {
        var stored = id is { } runId ? await store.GetAsync(runId, cancellationToken) : await store.GetLatestAsync(cancellationToken);
        return stored is null ? null : stored.ToDto();
    }

    /// <summary>The newest runs first, counts only.</summary>
    public async Task<IReadOnlyList<PlacementRunSummaryDto>> ListRunsAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(limit, cancellationToken)).Select(PlacementRunSummaryDto.From)];

    /// <summary>
    /// What a run would use now: configuration and the dashboard's seeds and send paths alike (as a run reads them), so a
    /// set-up made entirely in the dashboard or through <c>/api/settings</c> can be run from the page.
    /// </summary>
    public async Task<PlacementSetup> GetSetupAsync(CancellationToken cancellationToken)
    {
        var current = await catalog.GetRunOptionsAsync(cancellationToken);
        return new PlacementSetup(
            current.Seeds.Count,
            [.. current.Seeds.Select(s => s.Provider).Distinct(StringComparer.OrdinalIgnoreCase)],
            [.. current.SendPaths.Select(p => p.Name)],
            current.Message.From,
            runs.IsRunning,
            runs.LastFailure);
    }
}
