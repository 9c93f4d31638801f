using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Deliverability.Server.LivePush;

/// <summary>
/// Degraded, not unhealthy, while Redis is unreachable: the node serves as a single node would, so a load balancer
/// should keep sending it requests; <c>/health</c> says why the dashboards of other nodes miss its events.
/// </summary>
internal sealed class LivePushHealthCheck(LivePushConnection connection, LivePushNode node) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected && node.Listening
            ? HealthCheckResult.Healthy($"Redis at {connection.Servers} connected")
            : HealthCheckResult.Degraded($"Redis at {connection.Servers} unreachable: live push between nodes is paused, reconnecting"));
}
