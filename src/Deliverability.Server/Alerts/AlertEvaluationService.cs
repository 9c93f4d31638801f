using Deliverability.Core.Alerts;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Alerts;

/// <summary>Runs the alert engine every <c>Monitor:Alerts:EvaluationInterval</c> (15 s by default), from start.</summary>
/// <remarks>
/// A hosted loop rather than a Quartz job: the engine keeps its state in memory between evaluations, and an
/// evaluation every few seconds would only add load to the persistent job store. In a cluster one node evaluates, the one
/// holding the <see cref="ClusterLeases.AlertEvaluation"/> lease; the others try at each interval and take over when it dies (docs/cluster.md).
/// </remarks>
public sealed partial class AlertEvaluationService(AlertEngine engine, [FromKeyedServices(ClusterLeases.AlertEvaluation)] ClusterLease lease, TimeProvider time, ILogger<AlertEvaluationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(engine.EvaluationInterval, time);
        do
        {
            try
            {
                if (await lease.HoldAsync(stoppingToken))
                {
                    await engine.RunOnceAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database down, a source failing: the next evaluation tries again; nothing is lost, nothing resolves falsely.
                LogEvaluationFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert evaluation failed; the next one runs at the next interval")]
    private partial void LogEvaluationFailed(Exception exception);
}
