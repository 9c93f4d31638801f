using Microsoft.Extensions.Logging;

namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>
/// Imports the files dropped into a folder (report files or saved e-mails, any name): each is moved to <c>done/</c>
/// only once its import has returned, to <c>invalid/</c> with the reason recorded when nothing in it is readable, and
/// to <c>unsaved/</c> after <see cref="DmarcIngestOptions.MaxSaveAttempts"/> failed saves; never deleted. A file
/// changed in the last seconds may still be being written: it waits for the next pass.
/// </summary>
public sealed class ReportFolderWatcher(string folder, DmarcIngestOptions options, IReportImporter importer, ReportInputLog log, TimeProvider time, ILogger logger)
{
    public const string Done = "done";
    public const string InvalidFolder = "invalid";
    public const string UnsavedFolder = "unsaved";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly SaveAttempts<string> _attempts = new(options.RetryInterval);

    public string Folder => folder;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The DMARC report folder {Folder} could not be read: {Problem}", folder, ex.Message);
            }

            try
            {
                await Task.Delay(options.FolderPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass over the folder's files (not its subfolders), oldest first.</summary>
    public async Task<MailboxPass> ReadOnceAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var files = new DirectoryInfo(folder).GetFiles().Where(f => !f.Name.StartsWith('.')).OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        _attempts.KeepOnly(files.Select(f => f.FullName).ToHashSet());
        int archived = 0, invalid = 0, unsaved = 0, failed = 0, waiting = 0;
        foreach (var file in files)
        {
            var now = time.GetUtcNow();
            if (_attempts.IsWaiting(file.FullName, now) || DateTime.UtcNow - file.LastWriteTimeUtc < Settle)
            {
                waiting++;
                continue;
            }

            switch (await HandleAsync(file, cancellationToken).ConfigureAwait(false))
            {
                case InvalidFolder: invalid++; break;
                case UnsavedFolder: unsaved++; break;
                case null: failed++; break;
                default: archived++; break;
            }
        }

        return new MailboxPass(archived, invalid, unsaved, failed, waiting);
    }

    private async Task<string?> HandleAsync(FileInfo file, CancellationToken cancellationToken)
    {
        string? reason = null;
        ImportResult? result = null;
        if (file.Length > options.MaxMessageBytes)
        {
            reason = $"the file has {file.Length} bytes, more than the limit of {options.MaxMessageBytes} (Monitor:DmarcReports:MaxMessageBytes)";
        }
        else
        {
            try
            {
                await using var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                result = await importer.ImportAsync(content, $"folder:{file.Name}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Locked or gone: looked at again next pass.
                logger.LogWarning("DMARC report file {File} could not be read: {Problem}", file.Name, ex.Message);
                return null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return await SaveFailedAsync(file, ex, cancellationToken).ConfigureAwait(false);
            }
        }

        var (outcome, why) = result is null ? (ReportInputOutcome.Invalid, reason) : ReportInputLog.Judge(result);
        var target = outcome == ReportInputOutcome.Invalid ? InvalidFolder : Done;
        try
        {
            await log.AddAsync("folder", file.Name, outcome, why, result?.Reports.Count ?? 0, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (outcome == ReportInputOutcome.Invalid && !cancellationToken.IsCancellationRequested)
        {
            return await SaveFailedAsync(file, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The DMARC input list could not record {File}: {Problem}", file.Name, ex.Message);
        }

        Move(file, target);
        _attempts.Forget(file.FullName);
        return target;
    }

    private async Task<string?> SaveFailedAsync(FileInfo file, Exception ex, CancellationToken cancellationToken)
    {
        var count = _attempts.Fail(file.FullName, time.GetUtcNow());
        if (count < options.MaxSaveAttempts)
        {
            logger.LogWarning("DMARC report file {File} could not be saved (attempt {Attempt} of {Max}), left in place: {Problem}", file.Name, count, options.MaxSaveAttempts, ex.Message);
            return null;
        }

        logger.LogError("DMARC report file {File} could not be saved {Attempts} times: moved to {Folder}: {Problem}", file.Name, count, UnsavedFolder, ex.Message);
        try
        {
            await log.AddAsync("folder", file.Name, ReportInputOutcome.Unsaved, $"{count} saves failed; the last: {ex.Message}", 0, UnsavedFolder, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception logFailure) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The DMARC input list could not record {File}: {Problem}", file.Name, logFailure.Message);
        }

        Move(file, UnsavedFolder);
        _attempts.Forget(file.FullName);
        return UnsavedFolder;
    }

    /// <summary>Moves the file into the subfolder, under a new name when one of the same name is there (never overwritten).</summary>
    private void Move(FileInfo file, string subfolder)
    {
        var target = Path.Combine(folder, subfolder);
        Directory.CreateDirectory(target);
        var path = Path.Combine(target, file.Name);
        for (var i = 1; File.Exists(path); i++)
        {
            path = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(file.Name)}.{i}{Path.GetExtension(file.Name)}");
        }

        file.MoveTo(path);
    }
}
