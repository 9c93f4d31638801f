using Microsoft.AspNetCore.SignalR;
using Deliverability.Core.Alerts;
using Deliverability.Core.Live;

namespace Deliverability.Server.Alerts;

/// <summary>Bridges the in-process <see cref="LiveFeed{T}"/> of alert changes to the SignalR clients of <see cref="AlertsHub"/>.</summary>
internal sealed class AlertsHubBroadcaster(LiveFeed<AlertChanged> feed, IHubContext<AlertsHub> hub) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // This node's changes only: with the Redis backplane, the hub's clients on every node get them through it.
        _subscription = feed.Subscribe(change => hub.Clients.All.SendAsync(AlertsHub.MethodName, AlertChangedMessage.Of(change), CancellationToken.None), LiveOrigin.ThisNode);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }
}
