using Deliverability.Core.Metrics;
using Quartz;

namespace Deliverability.Server.Metrics;

/// <summary>
/// Records the scheduler's misfires (a run that missed its time because the scheduler was busy or down), the jobs
/// running on this node and how long each ran, by job name.
/// </summary>
internal sealed class SchedulerMetrics(DeliverabilityMetrics metrics) : ITriggerListener, IJobListener
{
    public string Name => "deliverability-metrics";

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        metrics.ScheduledJobMisfired(trigger.JobKey.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        metrics.ScheduledJobStarted(context.JobDetail.Key.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        // Quartz sets the run time before it tells the listeners.
        metrics.ScheduledJobEnded(context.JobDetail.Key.Name, context.JobRunTime, succeeded: jobException is null);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
