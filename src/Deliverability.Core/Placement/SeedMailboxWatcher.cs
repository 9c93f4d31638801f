using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Deliverability.Core.Placement;

/// <summary>A test message found in a seed mailbox.</summary>
public sealed record FoundMessage(SeedPlacementStatus Placement, string Folder, DateTimeOffset ArrivedAt, IReadOnlyList<string> AuthenticationResults, UniqueId Uid);

/// <summary>What a watch of one mailbox found, why it stopped early if it did, and how many test messages of earlier runs it removed.</summary>
public sealed record MailboxWatch(IReadOnlyDictionary<int, FoundMessage> Found, string? Error, int LeftoversRemoved = 0);

/// <summary>
/// Watches one IMAP account for the test messages of the seeds that deliver to it, over ONE connection: searches the
/// inbox, the spam folder and the other folders for the run's token, waits (IDLE on the inbox where offered, else the
/// poll interval) and searches again until every message is found or the deadline passes; then deletes what it found,
/// and the test messages earlier runs left in those folders (a run that could not read the mailbox, a message that
/// came after its timeout). A connection that drops is reopened on the next round; refused credentials, a TLS failure
/// or a configured folder that does not exist end the watch with a reason.
/// </summary>
public sealed class SeedMailboxWatcher(ImapAccountOptions account, SeedFolderOptions folders, TimeProvider time)
{
    /// <summary>At most this many leftovers are removed from a folder per run: a mailbox full of them empties over several runs.</summary>
    public const int MaxLeftoversPerFolder = 500;

    private static readonly string[] SpamNames = ["Junk", "Spam", "Junk E-mail", "Junk Email", "Bulk Mail", "Bulk", "[Gmail]/Spam", "INBOX.Junk", "INBOX.Spam"];

    // Never "other": a copy of every message (All Mail), or folders a received message does not go to.
    private const FolderAttributes NotPlacements = FolderAttributes.All | FolderAttributes.Sent | FolderAttributes.Drafts | FolderAttributes.Flagged
        | FolderAttributes.NoSelect | FolderAttributes.NonExistent;

    public string Where => ImapSession.Where(account);

    /// <param name="wanted">The seed indexes whose messages were sent to this mailbox.</param>
    /// <param name="deadline">When to stop looking (the run's timeout).</param>
    /// <param name="cleanUp">
    /// Delete the messages found, and the test messages of other runs sent more than <paramref name="runTimeout"/> ago
    /// (their runs are over, so no run in progress, of this service or the CLI, loses its message).
    /// </param>
    public async Task<MailboxWatch> WatchAsync(Guid runId, IReadOnlyCollection<int> wanted, DateTimeOffset deadline, TimeSpan pollInterval, bool cleanUp, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        var found = new Dictionary<int, FoundMessage>();
        string? error = null;
        using var client = new ImapClient { Timeout = 30_000 };
        List<(IMailFolder Folder, SeedPlacementStatus Placement)>? searched = null;
        while (true)
        {
            try
            {
                if (!client.IsConnected || !client.IsAuthenticated)
                {
                    await ImapSession.ConnectAsync(client, account, cancellationToken).ConfigureAwait(false);
                    searched = await FoldersToSearchAsync(client, cancellationToken).ConfigureAwait(false);
                }

                await SearchAsync(searched!, runId, wanted, found, cancellationToken).ConfigureAwait(false);
                error = null;
                if (found.Count == wanted.Count || time.GetUtcNow() >= deadline)
                {
                    break;
                }

                await WaitForMailAsync(client, deadline, pollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsFinal(ex) && !cancellationToken.IsCancellationRequested)
            {
                error = ex is FolderNotFoundException missing ? $"the folder '{missing.FolderName}' does not exist" : Describe(ex);
                break;
            }
            catch (Exception ex) when (IsConnectionProblem(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The server may be back on the next round; until the deadline the seeds are not given up.
                error = Describe(ex);
                await DisconnectQuietlyAsync(client).ConfigureAwait(false);
                if (time.GetUtcNow() >= deadline)
                {
                    break;
                }

                await DelayAsync(Min(pollInterval, deadline - time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Anything else (a server answer MailKit cannot read): this mailbox's seeds get the reason, the run goes on.
                error = Describe(ex);
                break;
            }
        }

        var leftovers = 0;
        if (cleanUp && searched is not null && client.IsConnected && client.IsAuthenticated)
        {
            if (found.Count > 0)
            {
                await DeleteAsync(client, searched, found.Values, cancellationToken).ConfigureAwait(false);
            }

            leftovers = await RemoveLeftoversAsync(client, searched, runId, time.GetUtcNow() - runTimeout, cancellationToken).ConfigureAwait(false);
        }

        await DisconnectQuietlyAsync(client).ConfigureAwait(false);
        return new MailboxWatch(found, error is null ? null : $"{Where}: {error}", leftovers);
    }

    /// <summary>Inbox first, then spam, then the others: a message found in several (e.g. a copy) counts where it ranks first.</summary>
    private async Task<List<(IMailFolder, SeedPlacementStatus)>> FoldersToSearchAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var list = new List<(IMailFolder, SeedPlacementStatus)>();
        var inbox = folders.Inbox is { Length: > 0 } inboxName ? await client.GetFolderAsync(inboxName, cancellationToken).ConfigureAwait(false) : client.Inbox;
        list.Add((inbox, SeedPlacementStatus.Inbox));

        var namespaceRoot = client.PersonalNamespaces.Count > 0 ? client.PersonalNamespaces[0] : new FolderNamespace('/', "");
        var all = await client.GetFoldersAsync(namespaceRoot, StatusItems.None, subscribedOnly: false, cancellationToken).ConfigureAwait(false);
        IMailFolder? spam;
        if (folders.Spam is { Length: > 0 } spamName)
        {
            spam = await client.GetFolderAsync(spamName, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            spam = all.FirstOrDefault(f => f.Attributes.HasFlag(FolderAttributes.Junk))
                ?? SpamNames.Select(name => all.FirstOrDefault(f => string.Equals(f.FullName, name, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(f => f is not null);
        }

        if (spam is not null && !SameFolder(spam, inbox))
        {
            list.Add((spam, SeedPlacementStatus.Spam));
        }

        if (folders.Other.Count > 0)
        {
            foreach (var name in folders.Other)
            {
                list.Add((await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false), SeedPlacementStatus.Other));
            }
        }
        else
        {
            list.AddRange(all
                .Where(f => (f.Attributes & NotPlacements) == 0 && !SameFolder(f, inbox) && (spam is null || !SameFolder(f, spam)))
                .Select(f => (f, SeedPlacementStatus.Other)));
        }

        return list;
    }

    private static bool SameFolder(IMailFolder a, IMailFolder b) => string.Equals(a.FullName, b.FullName, StringComparison.OrdinalIgnoreCase);

    private async Task SearchAsync(List<(IMailFolder Folder, SeedPlacementStatus Placement)> searched, Guid runId, IReadOnlyCollection<int> wanted, Dictionary<int, FoundMessage> found, CancellationToken cancellationToken)
    {
        var runToken = runId.ToString("N");
        foreach (var (folder, placement) in searched)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            var query = SearchQuery.HeaderContains(PlacementMessage.TokenHeader, runToken).Or(SearchQuery.BodyContains(runToken));
            var uids = await folder.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            if (uids.Count == 0)
            {
                continue;
            }

            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate)
            {
                Headers = new HeaderSet([PlacementMessage.TokenHeader, "Authentication-Results"]),
            };
            foreach (var summary in await folder.FetchAsync(uids, request, cancellationToken).ConfigureAwait(false))
            {
                var seed = PlacementMessage.SeedIndexIn(summary.Headers?[PlacementMessage.TokenHeader], runId);
                if (seed is null)
                {
                    // The header was stripped on the way: the token in the body still says which seed it is.
                    seed = await SeedIndexInBodyAsync(folder, summary.UniqueId, runId, cancellationToken).ConfigureAwait(false);
                }

                // The inbox is searched first: a copy in another folder does not move a message found there.
                if (seed is { } index && wanted.Contains(index) && (!found.TryGetValue(index, out var earlier) || earlier.Placement > placement))
                {
                    var authentication = summary.Headers?.Where(h => h.Id == HeaderId.AuthenticationResults).Select(h => h.Value).ToArray() ?? [];
                    found[index] = new FoundMessage(placement, folder.FullName, summary.InternalDate ?? time.GetUtcNow(), authentication, summary.UniqueId);
                }
            }
        }
    }

    /// <summary>The token in the bodies; null when there is none or the message cannot be parsed (another sender's mail).</summary>
    private static async Task<int?> SeedIndexInBodyAsync(IMailFolder folder, UniqueId uid, Guid runId, CancellationToken cancellationToken)
    {
        try
        {
            var message = await folder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            return PlacementMessage.SeedIndexIn(message.TextBody, runId) ?? PlacementMessage.SeedIndexIn(message.HtmlBody, runId);
        }
        catch (ParseException)
        {
            return null;
        }
    }

    private async Task WaitForMailAsync(ImapClient client, DateTimeOffset deadline, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var wait = Min(pollInterval, deadline - time.GetUtcNow());
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        // IDLE reports new mail in the selected folder only (the inbox); other folders are searched each poll interval.
        await ImapSession.WaitForMailAsync(client, client.Inbox, wait, time, cancellationToken).ConfigureAwait(false);
    }

    private string Describe(Exception ex) => MailFailure.Describe(ex, "IMAP", MailSecurity.Parse(account.Security), MailSecurity.ImapPort(account));

    private static async Task DeleteAsync(ImapClient client, List<(IMailFolder Folder, SeedPlacementStatus Placement)> searched, IEnumerable<FoundMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var group in messages.GroupBy(m => m.Folder))
        {
            var folder = searched.First(s => s.Folder.FullName == group.Key).Folder;
            try
            {
                await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
                await ImapSession.ExpungeAsync(client, folder, [.. group.Select(m => m.Uid)], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionProblem(ex) || ex is ImapCommandException)
            {
                // The placement is measured; a test message left behind is removed by a later run.
            }
        }
    }

    /// <summary>
    /// Removes from each searched folder the test messages of other runs sent before <paramref name="runsOverBefore"/>:
    /// those with a token header of this service (<see cref="PlacementMessage.RunOf"/>) whose Date (our own clock;
    /// else the server's arrival date) is that old. Mail without such a header is never touched.
    /// </summary>
    private async Task<int> RemoveLeftoversAsync(ImapClient client, List<(IMailFolder Folder, SeedPlacementStatus Placement)> searched, Guid runId, DateTimeOffset runsOverBefore, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (folder, _) in searched)
        {
            try
            {
                await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
                // HEADER with an empty string matches every message that has the header (RFC 3501 6.4.4).
                var marked = await folder.SearchAsync(SearchQuery.HeaderContains(PlacementMessage.TokenHeader, ""), cancellationToken).ConfigureAwait(false);
                if (marked.Count == 0)
                {
                    continue;
                }

                var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate) { Headers = new HeaderSet([PlacementMessage.TokenHeader, "Date"]) };
                var summaries = await folder.FetchAsync([.. marked.Take(MaxLeftoversPerFolder)], request, cancellationToken).ConfigureAwait(false);
                var stale = summaries
                    .Where(s => PlacementMessage.RunOf(s.Headers?[PlacementMessage.TokenHeader]) is { } run && run != runId && SentAt(s) is { } sent && sent < runsOverBefore)
                    .Select(s => s.UniqueId)
                    .ToList();
                if (stale.Count > 0)
                {
                    await ImapSession.ExpungeAsync(client, folder, stale, cancellationToken).ConfigureAwait(false);
                    removed += stale.Count;
                }
            }
            catch (Exception ex) when (IsConnectionProblem(ex) || ex is ImapCommandException)
            {
                // Left for the next run.
            }
        }

        return removed;
    }

    private static DateTimeOffset? SentAt(IMessageSummary summary) =>
        summary.Headers?["Date"] is { } date && MimeKit.Utils.DateUtils.TryParse(date, out var sent) ? sent : summary.InternalDate;

    private async Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool IsFinal(Exception ex) => ImapSession.IsFinal(ex);

    private static bool IsConnectionProblem(Exception ex) => ImapSession.IsConnectionProblem(ex);

    private static Task DisconnectQuietlyAsync(ImapClient client) => ImapSession.DisconnectQuietlyAsync(client);
}
