using Microsoft.AspNetCore.SignalR;
using Deliverability.Core.Live;

namespace Deliverability.Server.LoadTests;

/// <summary>
/// <c>/hubs/loadtests</c>: load tests pushed to every connected client, as <see cref="ChangedMethod"/> (a run started, ended
/// or was imported: <see cref="LoadTestChangedMessage"/>) and <see cref="ProgressMethod"/> (about once a second while a run
/// goes: <see cref="LoadTestProgress"/>). Clients only listen; the hub has no methods to call.
/// </summary>
public sealed class LoadTestsHub : Hub
{
    public const string Path = "/hubs/loadtests";

    public const string ChangedMethod = "loadTestChanged";

    public const string ProgressMethod = "loadTestProgress";
}

/// <summary>What <c>loadTestChanged</c> carries: the status in lower case (running, completed, aborted, failed, refused).</summary>
public sealed record LoadTestChangedMessage(Guid RunId, string Scenario, string Status)
{
    public static LoadTestChangedMessage Of(LoadTestRunChanged change) =>
        new(change.RunId, change.Scenario, LoadTestRunSummaryDto.StatusWord(change.Status));
}

/// <summary>Bridges the in-process feeds of load-test changes and progress to the SignalR clients of <see cref="LoadTestsHub"/>.</summary>
internal sealed class LoadTestsHubBroadcaster(LiveFeed<LoadTestRunChanged> changes, LiveFeed<LoadTestProgress> progress, IHubContext<LoadTestsHub> hub)
    : IHostedService, IDisposable
{
    private IDisposable? _changes;
    private IDisposable? _progress;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // This node's events only: with the Redis backplane, the hub's clients on every node get them through it.
        _changes = changes.Subscribe(change => hub.Clients.All.SendAsync(LoadTestsHub.ChangedMethod, LoadTestChangedMessage.Of(change), CancellationToken.None), LiveOrigin.ThisNode);
        _progress = progress.Subscribe(step => hub.Clients.All.SendAsync(LoadTestsHub.ProgressMethod, step, CancellationToken.None), LiveOrigin.ThisNode);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _changes?.Dispose();
        _progress?.Dispose();
        _changes = null;
        _progress = null;
    }
}
