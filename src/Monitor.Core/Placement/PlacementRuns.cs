namespace Monitor.Core.Placement;

/// <summary>
/// Runs placement tests one at a time (scheduled or on demand) with the current <c>Monitor:Placement</c> settings and
/// the seeds and send paths added in the dashboard (<see cref="PlacementCatalog"/>, read at each run), and stores each
/// finished run. Two runs at once would double the test mail and race on the same mailboxes.
/// </summary>
public sealed class PlacementRuns(PlacementCatalog catalog, PlacementRunner runner, PlacementResultStore store) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public bool IsRunning => _oneAtATime.CurrentCount == 0;

    /// <summary>Runs and stores one run; null when another run is in progress.</summary>
    /// <exception cref="ArgumentException">No seed is configured, the send path is unknown, or the merged settings break a rule (e.g. no Message:From for seeds added in the dashboard).</exception>
    public async Task<StoredPlacementRun?> TryRunAsync(string? sendPath, CancellationToken cancellationToken = default)
    {
        var current = await catalog.GetRunOptionsAsync(cancellationToken).ConfigureAwait(false);
        if (current.Seeds.Count == 0)
        {
            throw new ArgumentException("No seed mailbox is configured (Monitor:Placement:Seeds, or Settings > Placement in the dashboard).", nameof(sendPath));
        }

        if (current.FindSendPath(sendPath) is null)
        {
            throw new ArgumentException(sendPath is null
                ? "No send path is configured (Monitor:Placement:SendPaths, or Settings > Placement in the dashboard)."
                : $"'{sendPath}' is not a configured send path (Monitor:Placement:SendPaths and the dashboard's: {string.Join(", ", current.SendPaths.Select(p => p.Name))}).", nameof(sendPath));
        }

        // Each part passed its own checks; together they must too (a dashboard seed needs Message:From, for one).
        var problems = PlacementOptionsValidation.Problems(current);
        if (problems.Count > 0)
        {
            throw new ArgumentException("The placement settings cannot run: " + string.Join("; ", problems), nameof(sendPath));
        }

        if (!await _oneAtATime.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var report = await runner.RunAsync(current, sendPath, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(report, cancellationToken).ConfigureAwait(false);
            return await store.GetAsync(report.Id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();
}
