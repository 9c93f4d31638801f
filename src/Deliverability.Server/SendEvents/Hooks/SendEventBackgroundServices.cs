using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary>Runs the one send-event writer for the life of the service; on stop it stores what is queued first.</summary>
internal sealed class SendEventWriterService(SendEventWriter writer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}

/// <summary>Deletes send events and quarantined bodies older than <c>RetentionDays</c>, at start and every hour.</summary>
internal sealed partial class SendEventRetentionService(SendEventStore store, IOptionsMonitor<SendEventsOptions> options, TimeProvider time, ILogger<SendEventRetentionService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(options.CurrentValue.RetentionDays, stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted, options.CurrentValue.RetentionDays);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} send events and quarantined bodies older than {Days} days")]
    private static partial void LogDeleted(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting expired send events failed; it is tried again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
