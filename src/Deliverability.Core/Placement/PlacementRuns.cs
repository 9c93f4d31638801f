using Deliverability.Core.Live;
using Deliverability.Core.Metrics;

namespace Deliverability.Core.Placement;

/// <summary>Published on <c>LiveFeed&lt;PlacementRunCompleted&gt;</c> when a run is stored (the dashboard reloads on it).</summary>
public sealed record PlacementRunCompleted(Guid RunId, string SendPath, DateTimeOffset FinishedAt, double? InboxRate);

/// <summary>
/// Published on <c>LiveFeed&lt;PlacementRunFailed&gt;</c> when a run ends without being stored (the database refused
/// it, for one): open pages stop showing it in progress and say why.
/// </summary>
/// <param name="SendPath">The send path asked for; null for the default one.</param>
/// <param name="Reason">What went wrong, in one line (no secret: exception messages of the store and the runner).</param>
public sealed record PlacementRunFailed(DateTimeOffset StartedAt, DateTimeOffset FailedAt, string? SendPath, string Reason);

/// <summary>A run that was accepted and is going on; <see cref="Stored"/> completes when it is stored.</summary>
public sealed record PlacementRunInProgress(Task<StoredPlacementRun?> Stored);

/// <summary>
/// Runs placement tests one at a time (scheduled or on demand) with the current <c>Monitor:Placement</c> settings and
/// the seeds and send paths added in the dashboard (<see cref="PlacementCatalog"/>, read at each run), stores each
/// finished run and announces it on <see cref="LiveFeed{T}"/>, or its failure. Two runs at once would double the test
/// mail and race on the same mailboxes.
/// </summary>
public sealed class PlacementRuns(
    PlacementCatalog catalog,
    PlacementRunner runner,
    PlacementResultStore store,
    LiveFeed<PlacementRunCompleted> completed,
    LiveFeed<PlacementRunFailed> failed,
    TimeProvider time,
    DeliverabilityMetrics? metrics = null)
    : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private PlacementRunFailed? _lastFailure;

    public bool IsRunning => _oneAtATime.CurrentCount == 0;

    /// <summary>The failure of the latest run when it failed (null once a later run is stored), for a page opened after it was announced.</summary>
    public PlacementRunFailed? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Runs and stores one run; null when another run is in progress.</summary>
    /// <exception cref="ArgumentException">No seed is configured, the send path is unknown, or the merged settings break a rule (e.g. no Message:From for seeds added in the dashboard).</exception>
    public async Task<StoredPlacementRun?> TryRunAsync(string? sendPath, CancellationToken cancellationToken = default) =>
        await TryStartAsync(sendPath, cancellationToken).ConfigureAwait(false) is { } started
            ? await started.Stored.ConfigureAwait(false)
            : null;

    /// <summary>
    /// Checks the settings and takes the one-run-at-a-time lock, then returns while the run goes on (it lasts up to
    /// <c>Monitor:Placement:Timeout</c>); null when another run is in progress. A caller that must answer at once (the
    /// dashboard's Run now) learns a refusal or a busy answer here, not minutes later.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="TryRunAsync"/>.</exception>
    public async Task<PlacementRunInProgress?> TryStartAsync(string? sendPath, CancellationToken cancellationToken = default)
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

        return new PlacementRunInProgress(RunHoldingTheLockAsync(current, sendPath, cancellationToken));
    }

    private async Task<StoredPlacementRun?> RunHoldingTheLockAsync(PlacementOptions current, string? sendPath, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        PlacementRunReport report;
        try
        {
            report = await runner.RunAsync(current, sendPath, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Announced once the next run may start, as a stored run is; the caller still gets the exception.
            var failure = new PlacementRunFailed(startedAt, time.GetUtcNow(), sendPath, Reason(ex));
            Volatile.Write(ref _lastFailure, failure);
            metrics?.PlacementRunEnded(sendPath, stored: false);
            _oneAtATime.Release();
            failed.Publish(failure);
            throw;
        }
        catch
        {
            _oneAtATime.Release(); // the service is stopping: nobody is left to tell
            throw;
        }

        Volatile.Write(ref _lastFailure, null);
        RecordMetrics(report);
        _oneAtATime.Release();
        // Announced once the next run may start: a page that reloads on it no longer sees this one in progress.
        completed.Publish(new PlacementRunCompleted(report.Id, report.SendPath, report.FinishedAt, report.Overall.InboxRate));
        return await store.GetAsync(report.Id, cancellationToken).ConfigureAwait(false);
    }

    private void RecordMetrics(PlacementRunReport report)
    {
        if (metrics is null)
        {
            return;
        }

        metrics.PlacementRunEnded(report.SendPath, stored: true);
        foreach (var seed in report.Seeds)
        {
            metrics.PlacementSeedMeasured(seed.Provider, seed.Status, seed.DeliveryTime);
        }
    }

    /// <summary>The innermost message says what happened (EF Core's outer one says "see the inner exception"), on one line.</summary>
    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var line = innermost.Message.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }

    public void Dispose() => _oneAtATime.Dispose();
}
