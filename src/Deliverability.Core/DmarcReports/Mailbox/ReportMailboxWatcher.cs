using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Placement;

namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>
/// Reads the reports sent to one IMAP mailbox, over one connection kept open: each message is imported, and only once
/// the import has returned (its reports committed) is it moved to <c>Archive/Aggregate</c> or <c>Archive/TLS</c>; a
/// message with nothing readable goes to <c>Archive/Invalid</c> with the reason recorded; a message whose save fails
/// stays where it is and is tried again <see cref="DmarcIngestOptions.RetryInterval"/> later, and after
/// <see cref="DmarcIngestOptions.MaxSaveAttempts"/> failures goes to <c>Archive/Unsaved</c>. Nothing is ever deleted.
/// Between passes it waits in IDLE where the server offers it, else for the poll interval.
/// </summary>
public sealed class ReportMailboxWatcher : IAsyncDisposable
{
    private const int FetchChunk = 200;

    private readonly ReportMailboxOptions _mailbox;
    private readonly DmarcIngestOptions _options;
    private readonly IReportImporter _importer;
    private readonly ReportInputLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SaveAttempts<(uint Validity, uint Uid)> _attempts;
    private readonly ImapClient _client = new() { Timeout = 60_000 };
    private readonly Dictionary<string, IMailFolder> _archive = new(StringComparer.Ordinal);
    private IMailFolder? _source;
    private int _countAfterPass;

    public ReportMailboxWatcher(ReportMailboxOptions mailbox, DmarcIngestOptions options, IReportImporter importer, ReportInputLog log, TimeProvider time, ILogger logger)
    {
        _mailbox = mailbox;
        _options = options;
        _importer = importer;
        _log = log;
        _time = time;
        _logger = logger;
        _attempts = new(options.RetryInterval);
    }

    public string Where => $"IMAP {_mailbox.Host}:{Port} as '{_mailbox.User}', folder {_mailbox.Folder}";

    private int Port => _mailbox.Port != 0 ? _mailbox.Port : MailSecurity.Parse(_mailbox.Security) == MailKit.Security.SecureSocketOptions.SslOnConnect ? 993 : 143;

    private string SourceName => $"mailbox {_mailbox.DisplayName}";

    /// <summary>Reads the mailbox until <paramref name="cancellationToken"/> fires; a connection that drops is reopened, backing off up to the poll interval.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pass = await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
                if (pass.Moved > 0 || pass.Failed > 0)
                {
                    _logger.LogInformation("DMARC reports from {Mailbox}: {Archived} archived, {Invalid} invalid, {Unsaved} unsaved, {Failed} failed to save", _mailbox.DisplayName, pass.Archived, pass.Invalid, pass.Unsaved, pass.Failed);
                }

                backoff = TimeSpan.FromSeconds(1);
                await WaitForMailAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsMailboxProblem(ex))
            {
                _logger.LogWarning("DMARC report mailbox {Mailbox} ({Where}) could not be read: {Problem}; trying again in {Delay}", _mailbox.DisplayName, Where, Describe(ex), backoff);
                await DisconnectQuietlyAsync().ConfigureAwait(false);
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff = Min(backoff * 2, _options.PollInterval);
            }
        }
    }

    /// <summary>
    /// One pass over the mailbox: connects when needed, makes the archive folders that are missing, and deals with every
    /// message whose turn has come. Throws on a mailbox problem (connection, credentials); a failed save never throws.
    /// </summary>
    public async Task<MailboxPass> ReadOnceAsync(CancellationToken cancellationToken)
    {
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        var source = _source!;
        if (!source.IsOpen || source.Access != FolderAccess.ReadWrite)
        {
            await source.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        }

        var uids = await source.SearchAsync(SearchQuery.NotDeleted, cancellationToken).ConfigureAwait(false);
        var validity = source.UidValidity;
        _attempts.KeepOnly(uids.Select(u => (validity, u.Id)).ToHashSet());
        int archived = 0, invalid = 0, unsaved = 0, failed = 0, waiting = 0;
        for (var start = 0; start < uids.Count; start += FetchChunk)
        {
            var chunk = uids.Skip(start).Take(FetchChunk).ToList();
            var summaries = await source.FetchAsync(chunk, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, cancellationToken).ConfigureAwait(false);
            foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
            {
                var key = (validity, summary.UniqueId.Id);
                if (_attempts.IsWaiting(key, _time.GetUtcNow()))
                {
                    waiting++;
                    continue;
                }

                switch (await HandleAsync(source, summary, key, cancellationToken).ConfigureAwait(false))
                {
                    case ArchiveFolders.Invalid: invalid++; break;
                    case ArchiveFolders.Unsaved: unsaved++; break;
                    case null: failed++; break;
                    default: archived++; break;
                }
            }
        }

        _countAfterPass = source.Count;
        return new MailboxPass(archived, invalid, unsaved, failed, waiting);
    }

    /// <summary>Imports one message and moves it; returns the archive subfolder it went to, or null when its save failed.</summary>
    private async Task<string?> HandleAsync(IMailFolder source, IMessageSummary summary, (uint, uint) key, CancellationToken cancellationToken)
    {
        var name = summary.Envelope?.Subject is { Length: > 0 } subject ? subject : $"message {summary.UniqueId.Id}";
        if (summary.Size is { } size && size > _options.MaxMessageBytes)
        {
            var reason = $"the message has {size} bytes, more than the limit of {_options.MaxMessageBytes} (Monitor:DmarcReports:MaxMessageBytes)";
            return await InvalidAsync(source, summary.UniqueId, name, reason, cancellationToken).ConfigureAwait(false) ? ArchiveFolders.Invalid : null;
        }

        ImportResult result;
        await using (var content = await source.GetStreamAsync(summary.UniqueId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                result = await _importer.ImportAsync(content, $"imap:{_mailbox.DisplayName}/{_mailbox.Folder}/{summary.UniqueId.Id}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return await SaveFailedAsync(source, summary.UniqueId, key, name, ex, cancellationToken).ConfigureAwait(false);
            }
        }

        var (outcome, why) = ReportInputLog.Judge(result);
        if (outcome == ReportInputOutcome.Invalid)
        {
            // Some of its reports may be stored; the reason must be, before the message leaves.
            return await InvalidAsync(source, summary.UniqueId, name, why!, cancellationToken).ConfigureAwait(false) ? ArchiveFolders.Invalid : null;
        }

        var folder = ArchiveFolders.For(result);
        try
        {
            await _log.AddAsync(SourceName, name, outcome, null, result.Reports.Count, ArchivePath(folder), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The reports are committed: the message may go; only the line of the input list is missing.
            _logger.LogWarning("The DMARC input list could not record '{Name}' from {Mailbox}: {Problem}", name, _mailbox.DisplayName, ex.Message);
        }

        await MoveAsync(source, summary.UniqueId, folder, cancellationToken).ConfigureAwait(false);
        _attempts.Forget(key);
        return folder;
    }

    private async Task<bool> InvalidAsync(IMailFolder source, UniqueId uid, string name, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await _log.AddAsync(SourceName, name, ReportInputOutcome.Invalid, reason, 0, ArchivePath(ArchiveFolders.Invalid), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The reason is not stored yet: the message stays, to be judged again.
            await SaveFailedAsync(source, uid, (source.UidValidity, uid.Id), name, ex, cancellationToken).ConfigureAwait(false);
            return false;
        }

        _logger.LogInformation("DMARC report message '{Name}' from {Mailbox} is invalid: {Reason}", name, _mailbox.DisplayName, reason);
        await MoveAsync(source, uid, ArchiveFolders.Invalid, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<string?> SaveFailedAsync(IMailFolder source, UniqueId uid, (uint, uint) key, string name, Exception ex, CancellationToken cancellationToken)
    {
        var count = _attempts.Fail(key, _time.GetUtcNow());
        if (count < _options.MaxSaveAttempts)
        {
            _logger.LogWarning("DMARC report message '{Name}' from {Mailbox} could not be saved (attempt {Attempt} of {Max}), left in place: {Problem}", name, _mailbox.DisplayName, count, _options.MaxSaveAttempts, ex.Message);
            return null;
        }

        _logger.LogError("DMARC report message '{Name}' from {Mailbox} could not be saved {Attempts} times: moved to {Folder}: {Problem}", name, _mailbox.DisplayName, count, ArchivePath(ArchiveFolders.Unsaved), ex.Message);
        try
        {
            await _log.AddAsync(SourceName, name, ReportInputOutcome.Unsaved, $"{count} saves failed; the last: {ex.Message}", 0, ArchivePath(ArchiveFolders.Unsaved), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception logFailure) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("The DMARC input list could not record '{Name}': {Problem}", name, logFailure.Message);
        }

        await MoveAsync(source, uid, ArchiveFolders.Unsaved, cancellationToken).ConfigureAwait(false);
        _attempts.Forget(key);
        return ArchiveFolders.Unsaved;
    }

    private string ArchivePath(string subfolder) => $"{_options.ArchiveFolder.Trim('/')}/{subfolder}";

    private async Task MoveAsync(IMailFolder source, UniqueId uid, string subfolder, CancellationToken cancellationToken)
    {
        var destination = await ArchiveFolderAsync(subfolder, cancellationToken).ConfigureAwait(false);
        // MOVE where offered, else COPY + flag + EXPUNGE of that one UID (UIDPLUS); the copy exists before the original goes.
        await source.MoveToAsync(uid, destination, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IMailFolder> ArchiveFolderAsync(string subfolder, CancellationToken cancellationToken)
    {
        if (_archive.TryGetValue(subfolder, out var known))
        {
            return known;
        }

        var root = _client.GetFolder(_client.PersonalNamespaces.Count > 0 ? _client.PersonalNamespaces[0] : new FolderNamespace('/', ""));
        var folder = root;
        foreach (var part in ArchivePath(subfolder).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            IMailFolder next;
            try
            {
                next = await folder.GetSubfolderAsync(part, cancellationToken).ConfigureAwait(false);
            }
            catch (FolderNotFoundException)
            {
                next = await folder.CreateAsync(part, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                    ?? throw new FolderNotFoundException(part);
                await next.SubscribeAsync(cancellationToken).ConfigureAwait(false);
            }

            folder = next;
        }

        _archive[subfolder] = folder;
        return folder;
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected && _client.IsAuthenticated && _source is not null)
        {
            return;
        }

        await DisconnectQuietlyAsync().ConfigureAwait(false);
        _archive.Clear();
        await _client.ConnectAsync(_mailbox.Host, Port, MailSecurity.Parse(_mailbox.Security), cancellationToken).ConfigureAwait(false);
        await _client.AuthenticateAsync(_mailbox.User, _mailbox.Password, cancellationToken).ConfigureAwait(false);
        _source = string.Equals(_mailbox.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? _client.Inbox
            : await _client.GetFolderAsync(_mailbox.Folder, cancellationToken).ConfigureAwait(false);
        foreach (var subfolder in new[] { ArchiveFolders.Aggregate, ArchiveFolders.Tls, ArchiveFolders.Invalid, ArchiveFolders.Unsaved })
        {
            await ArchiveFolderAsync(subfolder, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Until new mail arrives (IDLE) or the poll interval passes, but no longer than the next retry of a failed save.</summary>
    private async Task WaitForMailAsync(CancellationToken cancellationToken)
    {
        var wait = _options.PollInterval;
        if (_attempts.NextRetry is { } retryAt)
        {
            wait = Min(wait, retryAt - _time.GetUtcNow());
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (!_client.Capabilities.HasFlag(ImapCapabilities.Idle) || _source is null)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_source.Count != _countAfterPass)
        {
            // Mail announced in the answer to an earlier command, before IDLE could report it.
            return;
        }

        using var done = new CancellationTokenSource(wait, _time);
        void OnArrival(object? sender, EventArgs e) => done.Cancel();
        _source.CountChanged += OnArrival;
        try
        {
            await _client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _source.CountChanged -= OnArrival;
        }
    }

    private string Describe(Exception ex) => MailFailure.Describe(ex, "IMAP", MailSecurity.Parse(_mailbox.Security), Port);

    private static bool IsMailboxProblem(Exception ex) => ex is IOException or SocketException or TimeoutException or ProtocolException or CommandException
        or ServiceNotConnectedException or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
        or System.Security.Authentication.AuthenticationException or FolderNotFoundException or OperationCanceledException;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task DisconnectQuietlyAsync()
    {
        _source = null;
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.DisconnectAsync(true, quick.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsMailboxProblem(ex))
        {
            // Logging out of a broken connection cannot succeed; the socket is closed either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectQuietlyAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}
