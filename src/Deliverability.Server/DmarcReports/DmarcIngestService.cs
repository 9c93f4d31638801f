using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.DmarcReports;

/// <summary>
/// Runs one reader per configured report mailbox and one for the watched folder, for the life of the service; each
/// keeps going through connection problems on its own. The importer is resolved only when there is something to read.
/// </summary>
/// <remarks>
/// The mailboxes are shared by every node of a cluster, so only the node holding the
/// <see cref="ClusterLeases.DmarcMailboxes"/> lease reads them (two readers would fetch and import the same messages);
/// the others try to take it over every <see cref="DmarcIngestOptions.PollInterval"/>. The watched folder is the node's
/// own: every node reads its folder.
/// </remarks>
public sealed partial class DmarcIngestService(
    IServiceProvider services,
    IOptions<DmarcIngestOptions> options,
    ReportInputLog log,
    [FromKeyedServices(ClusterLeases.DmarcMailboxes)] ClusterLease lease,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Mailboxes.Count == 0 && string.IsNullOrWhiteSpace(settings.WatchedFolder))
        {
            return;
        }

        var importer = services.GetRequiredService<IReportImporter>();
        var logger = loggers.CreateLogger<DmarcIngestService>();
        var readers = new List<Task>();
        try
        {
            if (settings.Mailboxes.Count > 0)
            {
                readers.Add(ReadMailboxesWhileLeasedAsync(settings, importer, logger, stoppingToken));
            }

            if (!string.IsNullOrWhiteSpace(settings.WatchedFolder))
            {
                var folder = new ReportFolderWatcher(Path.GetFullPath(settings.WatchedFolder), settings, importer, log, time, loggers.CreateLogger<ReportFolderWatcher>());
                LogReadingFolder(logger, settings.WatchedFolder);
                readers.Add(folder.RunAsync(stoppingToken));
            }

            await Task.WhenAll(readers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the mailboxes while this node holds the lease; waits for it otherwise, and stops reading when it is lost.</summary>
    private async Task ReadMailboxesWhileLeasedAsync(DmarcIngestOptions settings, IReportImporter importer, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await lease.HoldAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var watchers = settings.Mailboxes.Select(m => new ReportMailboxWatcher(m, settings, importer, log, time, loggers.CreateLogger<ReportMailboxWatcher>())).ToList();
            try
            {
                LogReadingMailboxes(logger, watchers.Count);
                var reading = Task.WhenAll(watchers.Select(w => w.RunAsync(held.Token)));
                while (!reading.IsCompleted)
                {
                    await Task.WhenAny(reading, Task.Delay(settings.PollInterval, time, stoppingToken)).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                    if (!reading.IsCompleted && !await lease.HoldAsync(stoppingToken).ConfigureAwait(false))
                    {
                        await held.CancelAsync().ConfigureAwait(false);
                    }
                }

                await reading.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // The lease was lost: another node reads the mailboxes now; this one tries to take them back later.
            }
            finally
            {
                foreach (var watcher in watchers)
                {
                    await watcher.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading DMARC and TLS-RPT reports from {Mailboxes} mailboxes")]
    private static partial void LogReadingMailboxes(ILogger logger, int mailboxes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading DMARC and TLS-RPT reports from the folder {Folder}")]
    private static partial void LogReadingFolder(ILogger logger, string folder);
}
