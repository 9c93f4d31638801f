using Microsoft.Extensions.Logging;
using MimeKit;

namespace Deliverability.Core.Placement;

/// <summary>
/// One placement run: a test message to each seed through a send path, then every seed mailbox watched at once (one
/// IMAP connection per account, shared by the seeds that deliver to it) until each message is found or the timeout
/// passes. Never throws for a seed's failure: a seed that cannot be sent to or read is an <c>error</c> with its reason,
/// and the run finishes.
/// </summary>
public sealed partial class PlacementRunner(TimeProvider time, ILogger<PlacementRunner> logger)
{
    /// <exception cref="ArgumentException">No send path is configured, or none is called <paramref name="sendPathName"/>.</exception>
    public async Task<PlacementRunReport> RunAsync(PlacementOptions options, string? sendPathName, CancellationToken cancellationToken = default)
    {
        var path = options.FindSendPath(sendPathName) ?? throw new ArgumentException(sendPathName is null
            ? "No send path is configured (Monitor:Placement:SendPaths)."
            : $"'{sendPathName}' is not a configured send path (Monitor:Placement:SendPaths: {string.Join(", ", options.SendPaths.Select(p => p.Name))}).", nameof(sendPathName));

        var runId = Guid.NewGuid();
        var startedAt = time.GetUtcNow();
        var deadline = startedAt + options.Timeout;
        var seeds = options.Seeds;
        LogRunStarted(runId, seeds.Count, path.Name);

        var messages = seeds.Select((seed, i) => (i, PlacementMessage.Create(options.Message, seed.Address, PlacementMessage.Token(runId, i), startedAt))).ToList();
        var submissions = (await new SmtpSeedSender(time).SendAsync(path, messages, options.Timeout, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.SeedIndex);

        // One watcher per IMAP account: seeds that are aliases of one mailbox share its connection.
        var accounts = seeds.Select((seed, i) => (seed, i))
            .Where(s => submissions[s.i].Error is null)
            .GroupBy(s => MailboxKey(s.seed.Imap))
            .Select(g => (Seeds: g.Select(s => s.i).ToArray(), Watcher: new SeedMailboxWatcher(g.First().seed.Imap, g.First().seed.Folders, time)))
            .ToList();
        var watches = await Task.WhenAll(accounts.Select(a =>
            a.Watcher.WatchAsync(runId, a.Seeds, deadline, options.PollInterval, options.DeleteAfterRun, options.Timeout, cancellationToken))).ConfigureAwait(false);
        var watchOf = new Dictionary<int, MailboxWatch>();
        for (var a = 0; a < accounts.Count; a++)
        {
            if (watches[a].LeftoversRemoved > 0)
            {
                LogLeftoversRemoved(runId, watches[a].LeftoversRemoved, accounts[a].Watcher.Where);
            }

            foreach (var seed in accounts[a].Seeds)
            {
                watchOf[seed] = watches[a];
            }
        }

        var results = new List<SeedPlacement>(seeds.Count);
        for (var i = 0; i < seeds.Count; i++)
        {
            var seed = seeds[i];
            var submission = submissions[i];
            SeedPlacement result;
            if (submission.Error is not null)
            {
                result = Failed(seed, submission.SentAt, submission.Error);
            }
            else if (watchOf[i].Found.TryGetValue(i, out var found))
            {
                result = new SeedPlacement(seed.Provider, seed.Address, found.Placement, found.Folder, submission.SentAt, found.ArrivedAt,
                    ReceiverAuthentication.From(found.AuthenticationResults), found.AuthenticationResults, null);
            }
            else if (watchOf[i].Error is { } error)
            {
                // Not seen because the mailbox could not be read: not a measurement, so never "missing".
                result = Failed(seed, submission.SentAt, error);
            }
            else
            {
                result = new SeedPlacement(seed.Provider, seed.Address, SeedPlacementStatus.Missing, null, submission.SentAt, null, ReceiverAuthentication.None, [], null);
            }

            if (result.Status == SeedPlacementStatus.Error)
            {
                LogSeedError(runId, seed.Provider, seed.Address, result.Error!);
            }

            results.Add(result);
        }

        var report = new PlacementRunReport(runId, path.Name, startedAt, time.GetUtcNow(), results);
        LogRunFinished(runId, report.Overall.Inbox, report.Overall.Spam, report.Overall.Other, report.Overall.Missing, report.Overall.Errors);
        return report;
    }

    private static SeedPlacement Failed(SeedMailboxOptions seed, DateTimeOffset? sentAt, string error) =>
        new(seed.Provider, seed.Address, SeedPlacementStatus.Error, null, sentAt, null, ReceiverAuthentication.None, [], error);

    private static string MailboxKey(ImapAccountOptions imap) =>
        $"{imap.Host.Trim().ToLowerInvariant()}:{MailSecurity.ImapPort(imap)}:{imap.User.Trim()}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement run {RunId}: {Seeds} seeds through send path {SendPath}")]
    private partial void LogRunStarted(Guid runId, int seeds, string sendPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placement run {RunId}: seed {Provider} {Address} not measured: {Reason}")]
    private partial void LogSeedError(Guid runId, string provider, string address, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement run {RunId}: removed {Count} test messages of earlier runs from {Mailbox}")]
    private partial void LogLeftoversRemoved(Guid runId, int count, string mailbox);

    [LoggerMessage(Level = LogLevel.Information, Message = "Placement run {RunId} finished: {Inbox} inbox, {Spam} spam, {Other} other, {Missing} missing, {Errors} errors")]
    private partial void LogRunFinished(Guid runId, int inbox, int spam, int other, int missing, int errors);
}
