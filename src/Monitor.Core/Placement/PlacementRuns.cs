using Microsoft.Extensions.Options;
using Monitor.Core.Live;

namespace Monitor.Core.Placement;

/// <summary>Published on <c>LiveFeed&lt;PlacementRunCompleted&gt;</c> when a run is stored (the dashboard reloads on it).</summary>
public sealed record PlacementRunCompleted(Guid RunId, string SendPath, DateTimeOffset FinishedAt, double? InboxRate);

/// <summary>
/// Runs placement tests one at a time (scheduled or on demand) with the current <c>Monitor:Placement</c> settings, and
/// stores each finished run, announcing it on <see cref="LiveFeed{T}"/>. Two runs at once would double the test mail and
/// race on the same mailboxes.
/// </summary>
public sealed class PlacementRuns(IOptionsMonitor<PlacementOptions> options, PlacementRunner runner, PlacementResultStore store, LiveFeed<PlacementRunCompleted> completed) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public bool IsRunning => _oneAtATime.CurrentCount == 0;

    /// <summary>Runs and stores one run; null when another run is in progress.</summary>
    /// <exception cref="ArgumentException">No seed is configured, or the send path is unknown.</exception>
    public async Task<StoredPlacementRun?> TryRunAsync(string? sendPath, CancellationToken cancellationToken = default)
    {
        var current = options.CurrentValue;
        if (current.Seeds.Count == 0)
        {
            throw new ArgumentException("No seed mailbox is configured (Monitor:Placement:Seeds).", nameof(sendPath));
        }

        if (current.FindSendPath(sendPath) is null)
        {
            throw new ArgumentException(sendPath is null
                ? "No send path is configured (Monitor:Placement:SendPaths)."
                : $"'{sendPath}' is not a configured send path (Monitor:Placement:SendPaths: {string.Join(", ", current.SendPaths.Select(p => p.Name))}).", nameof(sendPath));
        }

        if (!await _oneAtATime.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        PlacementRunReport report;
        try
        {
            report = await runner.RunAsync(current, sendPath, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }

        // Announced once the next run may start: a page that reloads on it no longer sees this one in progress.
        completed.Publish(new PlacementRunCompleted(report.Id, report.SendPath, report.FinishedAt, report.Overall.InboxRate));
        return await store.GetAsync(report.Id, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _oneAtATime.Dispose();
}
