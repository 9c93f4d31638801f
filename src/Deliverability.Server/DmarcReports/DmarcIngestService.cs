using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Mailbox;

namespace Deliverability.Server.DmarcReports;

/// <summary>
/// Runs one reader per configured report mailbox and one for the watched folder, for the life of the service; each
/// keeps going through connection problems on its own. The importer is resolved only when there is something to read.
/// </summary>
public sealed class DmarcIngestService(IServiceProvider services, IOptions<DmarcIngestOptions> options, ReportInputLog log, TimeProvider time, ILoggerFactory loggers) : BackgroundService
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
        var watchers = settings.Mailboxes.Select(m => new ReportMailboxWatcher(m, settings, importer, log, time, loggers.CreateLogger<ReportMailboxWatcher>())).ToList();
        try
        {
            readers.AddRange(watchers.Select(w => w.RunAsync(stoppingToken)));
            if (!string.IsNullOrWhiteSpace(settings.WatchedFolder))
            {
                var folder = new ReportFolderWatcher(Path.GetFullPath(settings.WatchedFolder), settings, importer, log, time, loggers.CreateLogger<ReportFolderWatcher>());
                readers.Add(folder.RunAsync(stoppingToken));
            }

            logger.LogInformation("Reading DMARC and TLS-RPT reports from {Mailboxes} mailboxes{Folder}", watchers.Count, string.IsNullOrWhiteSpace(settings.WatchedFolder) ? "" : " and the folder " + settings.WatchedFolder);
            await Task.WhenAll(readers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
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
