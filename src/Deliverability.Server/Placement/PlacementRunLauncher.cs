using Deliverability.Core.Placement;

namespace Deliverability.Server.Placement;

/// <summary>What pressing "Run now" did.</summary>
public enum PlacementLaunch
{
    /// <summary>The run goes on in the background; it is announced on <c>LiveFeed&lt;PlacementRunCompleted&gt;</c> when stored.</summary>
    Started,

    /// <summary>Another run (the schedule's or someone else's) is in progress: the API's 409.</summary>
    Busy,

    /// <summary>The settings do not allow a run (no seed, unknown send path): the API's 400.</summary>
    Refused,
}

/// <summary>
/// Starts a placement run for the dashboard without holding the page: a run lasts minutes (up to
/// <c>Monitor:Placement:Timeout</c>), so it runs in the background, until the service stops, whether or not the page stays open.
/// </summary>
public sealed partial class PlacementRunLauncher(PlacementRuns runs, IHostApplicationLifetime lifetime, ILogger<PlacementRunLauncher> logger)
{
    /// <summary>Starts a run through <paramref name="sendPath"/> (the first when null); the error says why it was refused.</summary>
    public async Task<(PlacementLaunch Launch, string? Error)> StartAsync(string? sendPath, string startedBy)
    {
        if (runs.IsRunning)
        {
            return (PlacementLaunch.Busy, null);
        }

        PlacementRunInProgress? started;
        try
        {
            started = await runs.TryStartAsync(sendPath, lifetime.ApplicationStopping);
        }
        catch (ArgumentException refused)
        {
            return (PlacementLaunch.Refused, refused.Message.Split(" (Parameter", 2)[0]);
        }

        if (started is null)
        {
            return (PlacementLaunch.Busy, null);
        }

        LogStarted(startedBy, sendPath ?? "(default)");
        _ = ObserveAsync(started.Stored);
        return (PlacementLaunch.Started, null);
    }

    private async Task ObserveAsync(Task<StoredPlacementRun?> run)
    {
        try
        {
            if (await run is { } stored)
            {
                LogStored(stored.Run.Id, stored.Run.Overall.Inbox, stored.Run.Overall.Seeds);
            }
        }
        catch (OperationCanceledException)
        {
            // The service is stopping.
        }
#pragma warning disable CA1031 // Nobody awaits a background run: its failure (the database, the settings) is logged here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement run started from the dashboard by {User} through send path {SendPath}")]
    private partial void LogStarted(string user, string sendPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement run {RunId} started from the dashboard is stored: {Inbox} of {Seeds} seeds in the inbox")]
    private partial void LogStored(Guid runId, int inbox, int seeds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Placement run started from the dashboard failed")]
    private partial void LogFailed(Exception exception);
}
