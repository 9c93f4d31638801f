using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Live;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.Storage;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>
/// Rolls up stored send events as they arrive: at start (what waits from before), then batch after batch whenever this
/// process stores events (<see cref="SendEventArrivals"/>), and otherwise sleeps. Where sources are configured it also
/// looks every <see cref="SendingOptions.ProcessInterval"/> for events another node stored and left (a node that
/// stopped before rolling up its own); with none it never wakes by itself. A failed batch is logged and read again
/// after <see cref="SendingOptions.ProcessInterval"/> (nothing of it was counted: <see cref="SendEventProcessor"/>
/// commits a batch whole or not at all, and never twice across nodes).
/// </summary>
public sealed partial class SendEventProcessorService(
    IServiceProvider services,
    IDbContextFactory<MonitorDbContext> contexts,
    IOptionsMonitor<SendingOptions> options,
    IOptionsMonitor<SendEventsOptions> sources,
    LiveFeed<SendingUpdated> feed,
    TimeProvider time,
    ILogger<SendEventProcessorService> logger) : BackgroundService
{
    /// <summary>How long a wake-up waits for more commits before it reads.</summary>
    public static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The classifier comes with the send-events sources (AddSendEvents); without them there is nothing to roll up.
        if (services.GetService<IMailboxProviderClassifier>() is not { } classifier || services.GetService<SendEventArrivals>() is not { } arrivals)
        {
            LogNoClassifier();
            return;
        }

        // New sources may bring events from other nodes: look once.
        using var sourcesChanged = sources.OnChange(_ => arrivals.Notify());

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

            var configured = sources.CurrentValue is { } events && (events.Sources.Count > 0 || events.PostfixLogs.Count > 0);
            try
            {
                if (await arrivals.WaitAsync(failing || configured ? settings.ProcessInterval : Timeout.InfiniteTimeSpan, time, stoppingToken))
                {
                    // Woken by a commit: let the commits of a busy moment gather into one batch.
                    await Task.Delay(GatherDelay, time, stoppingToken);
                }
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
