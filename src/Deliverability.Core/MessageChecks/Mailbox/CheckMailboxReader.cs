using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Placement;

namespace Deliverability.Core.MessageChecks.Mailbox;

/// <summary>A message that came to a tagged check address: its bytes, or why they were not read.</summary>
public sealed record ReceivedCheckMessage(string Tag, byte[]? Message, string? Problem);

/// <summary>
/// Reads the check mailbox (<see cref="CheckMailboxOptions"/>) over one IMAP connection, with the placement seeds'
/// account settings and session steps (<see cref="ImapSession"/>): while addresses wait for their message, searches the
/// folder for their tags, hands each message found to the check, and removes it once the check has returned. Between
/// searches it waits in IDLE where offered (else the poll interval), and at once when a new address is given out
/// (<see cref="Wake"/>). Mail without a waiting tag is never touched.
/// </summary>
public sealed class CheckMailboxReader(CheckMailboxOptions options, int maxMessageBytes, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private static readonly string[] AddressHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"];

    private readonly ImapClient _client = new() { Timeout = 60_000 };
    private readonly Lock _gate = new();
    private CancellationTokenSource _wake = new();
    private IMailFolder? _folder;

    public string Where => $"{ImapSession.Where(options.Imap)}, folder {options.Folder}";

    /// <summary>A new address was given out: search now instead of at the end of the wait.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _wake.Cancel();
        }
    }

    /// <summary>Until <paramref name="cancellationToken"/> fires; a connection that drops is reopened, backing off up to the poll interval.</summary>
    /// <param name="waitingTags">The tags still waiting for their message.</param>
    /// <param name="check">Checks and stores one message; a message stays in the mailbox until it returns.</param>
    public async Task RunAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> waitingTags, Func<ReceivedCheckMessage, CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = RenewWake();
            try
            {
                var tags = await waitingTags(cancellationToken).ConfigureAwait(false);
                if (tags.Count == 0)
                {
                    // Nothing to look for: no connection is held open.
                    await ImapSession.DisconnectQuietlyAsync(_client).ConfigureAwait(false);
                    await DelayAsync(options.PollInterval, wake, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var found = await ReadOnceAsync(tags, check, cancellationToken).ConfigureAwait(false);
                if (found > 0)
                {
                    logger.LogInformation("Check mailbox {Where}: {Count} message(s) checked", Where, found);
                }

                backoff = TimeSpan.FromSeconds(1);
                await ImapSession.WaitForMailAsync(_client, _folder!, options.PollInterval, time, cancellationToken, wake).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The reader lives as long as the service: any failure (mailbox, storage) is logged and retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var problem = ImapSession.IsFinal(ex) || ImapSession.IsConnectionProblem(ex)
                    ? MailFailure.Describe(ex, "IMAP", MailSecurity.Parse(options.Imap.Security), MailSecurity.ImapPort(options.Imap))
                    : ex.Message;
                logger.LogWarning("Check mailbox {Where} could not be read: {Problem}; trying again in {Delay}", Where, problem, backoff);
                _folder = null;
                await ImapSession.DisconnectQuietlyAsync(_client).ConfigureAwait(false);
                await DelayAsync(backoff, CancellationToken.None, cancellationToken).ConfigureAwait(false);
                backoff = backoff * 2 < options.PollInterval ? backoff * 2 : options.PollInterval;
            }
        }
    }

    /// <summary>One search for <paramref name="tags"/>; returns how many messages were handed to <paramref name="check"/> and removed.</summary>
    public async Task<int> ReadOnceAsync(IReadOnlyList<string> tags, Func<ReceivedCheckMessage, CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected || !_client.IsAuthenticated || _folder is null)
        {
            await ImapSession.ConnectAsync(_client, options.Imap, cancellationToken).ConfigureAwait(false);
            _folder = string.Equals(options.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
                ? _client.Inbox
                : await _client.GetFolderAsync(options.Folder, cancellationToken).ConfigureAwait(false);
        }

        var folder = _folder;
        if (!folder.IsOpen || folder.Access != FolderAccess.ReadWrite)
        {
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        }

        var query = tags.Select(Tagged).Aggregate((a, b) => a.Or(b));
        var uids = await folder.SearchAsync(SearchQuery.NotDeleted.And(query), cancellationToken).ConfigureAwait(false);
        if (uids.Count == 0)
        {
            return 0;
        }

        var waiting = tags.ToHashSet(StringComparer.Ordinal);
        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size) { Headers = new HeaderSet(AddressHeaders) };
        var handled = 0;
        foreach (var summary in await folder.FetchAsync(uids, request, cancellationToken).ConfigureAwait(false))
        {
            var tag = AddressHeaders
                .SelectMany(name => summary.Headers?.Where(h => string.Equals(h.Field, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value) ?? [])
                .SelectMany(value => CheckAddress.TagsIn(options.Address, value))
                .FirstOrDefault(waiting.Contains);
            if (tag is null)
            {
                continue; // the tag text appeared, but not in an address of this mailbox
            }

            waiting.Remove(tag);
            if (summary.Size is { } size && size > maxMessageBytes)
            {
                await check(new ReceivedCheckMessage(tag, null, $"the message has {size} bytes; at most {maxMessageBytes} are checked ({MessageCheckOptions.SectionName}:MaxMessageBytes)"), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var copy = new MemoryStream();
                await using (var stream = await folder.GetStreamAsync(summary.UniqueId, cancellationToken).ConfigureAwait(false))
                {
                    await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                }

                await check(new ReceivedCheckMessage(tag, copy.ToArray(), null), cancellationToken).ConfigureAwait(false);
            }

            // Its report is stored: the message has done its work.
            await ImapSession.ExpungeAsync(_client, folder, [summary.UniqueId], cancellationToken).ConfigureAwait(false);
            handled++;
        }

        return handled;
    }

    private static SearchQuery Tagged(string tag) => AddressHeaders.Select(h => (SearchQuery)SearchQuery.HeaderContains(h, tag)).Aggregate((a, b) => a.Or(b));

    private CancellationToken RenewWake()
    {
        lock (_gate)
        {
            if (_wake.IsCancellationRequested)
            {
                _wake.Dispose();
                _wake = new CancellationTokenSource();
            }

            return _wake.Token;
        }
    }

    private async Task DelayAsync(TimeSpan wait, CancellationToken wake, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wake);
        try
        {
            await Task.Delay(wait, time, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ImapSession.DisconnectQuietlyAsync(_client).ConfigureAwait(false);
        _client.Dispose();
        lock (_gate)
        {
            _wake.Dispose();
        }
    }
}
