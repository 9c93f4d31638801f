using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Live;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.Storage;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>
/// Rolls up stored send events as they arrive: batch after batch while events wait, then every
/// <see cref="SendingOptions.ProcessInterval"/>. A failed batch is logged and read again at the next turn (nothing of
/// it was counted: <see cref="SendEventProcessor"/> commits a batch whole or not at all).
/// </summary>
public sealed partial class SendEventProcessorService(
    IServiceProvider services,
    IDbContextFactory<MonitorDbContext> contexts,
    IOptionsMonitor<SendingOptions> options,
    LiveFeed<SendingUpdated> feed,
    TimeProvider time,
    ILogger<SendEventProcessorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The classifier comes with the send-events sources (AddSendEvents); without them there is nothing to roll up.
        if (services.GetService<IMailboxProviderClassifier>() is not { } classifier)
        {
            LogNoClassifier();
            return;
        }

        var processor = new SendEventProcessor(contexts, classifier, time);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var batch = ProcessedBatch.None;
            try
            {
                batch = await processor.ProcessBatchAsync(settings.BatchSize, stoppingToken);
                if (failing)
                {
                    failing = false;
                    LogRecovered();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed batch (database busy or down) must not stop the processor: it is read again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!failing)
                {
                    failing = true;
                    LogFailed(ex);
                }
            }

            if (batch.Events > 0)
            {
                feed.Publish(new SendingUpdated(batch.Events, batch.Minutes));
                if (batch.Events >= settings.BatchSize)
                {
                    continue; // more are waiting
                }
            }

            try
            {
                await Task.Delay(settings.ProcessInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No mailbox provider classifier is registered: stored send events are not rolled up")]
    private partial void LogNoClassifier();

    [LoggerMessage(Level = LogLevel.Error, Message = "Rolling up send events failed; the batch is read again at the next turn")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolling up send events works again")]
    private partial void LogRecovered();
}
