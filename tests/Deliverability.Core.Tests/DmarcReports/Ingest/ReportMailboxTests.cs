using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Storage;
using Deliverability.Testing.Mail;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// A real Dovecot mailbox read by <see cref="ReportMailboxWatcher"/> with the real importer and stores, on each provider
/// (the subclasses below): no message leaves the inbox before its report is committed, a failed commit leaves it for a
/// retry and, after too many, in Archive/Unsaved; a report delivered twice, even to two nodes at once, is stored once.
/// </summary>
public abstract class ReportMailboxTests : IngestFixture
{
    private const string User = "dmarc";
    private const string OtherUser = "dmarc-node2";
    private const string Password = "reports-secret";
    private const string Aggregate = "Archive/Aggregate";
    private const string Tls = "Archive/TLS";
    private const string Invalid = "Archive/Invalid";
    private const string Unsaved = "Archive/Unsaved";

    private TestImapServer _imap = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _imap = await TestImapServer.StartAsync([(User, Password), (OtherUser, Password)]);
    }

    public override async Task DisposeAsync()
    {
        await _imap.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_commit_failing_mid_batch_leaves_its_message_in_the_inbox_and_no_message_moves_before_its_report_is_committed()
    {
        for (var i = 1; i <= 6; i++)
        {
            await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate($"report-{i}"));
        }

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("tls-1"));
        var violations = new List<string>();
        Faults.BeforeCommit = ids => violations.AddRange(ArchivedWithoutCommit($"before the commit of {string.Join(",", ids)}"));
        Faults.FailCommit = (_, ids) => ids.Contains("report-3") && Faults.FailedCommits == 0;
        var options = Options();
        await using var watcher = Watcher(options);

        var first = await watcher.ReadOnceAsync(CancellationToken.None);
        var inboxAfterFailure = _imap.ReadMessages(User, "INBOX").Select(ReportMessages.ReportIdIn).ToList();
        var storedAfterFailure = await StoredReportIdsAsync();
        var early = await watcher.ReadOnceAsync(CancellationToken.None);
        Time.Advance(options.RetryInterval);
        var retry = await watcher.ReadOnceAsync(CancellationToken.None);
        violations.AddRange(ArchivedWithoutCommit("at the end"));

        Assert.Empty(violations);
        Assert.Equal((6, 1), (first.Archived, first.Failed));
        Assert.Equal(["report-3"], inboxAfterFailure);
        Assert.Equal(["report-1", "report-2", "report-4", "report-5", "report-6", "tls-1"], storedAfterFailure);
        Assert.Equal((0, 1), (early.Moved, early.Waiting));
        Assert.Equal((1, 0), (retry.Archived, retry.Failed));
        Assert.Equal((0, 6, 1), (_imap.MessageCount(User, "INBOX"), _imap.MessageCount(User, Aggregate), _imap.MessageCount(User, Tls)));
        Assert.Equal(["report-1", "report-2", "report-3", "report-4", "report-5", "report-6", "tls-1"], await StoredReportIdsAsync());
        Assert.Equal(0, await DuplicateCountAsync());
    }

    [Fact]
    public async Task A_message_whose_commit_keeps_failing_goes_to_Archive_Unsaved_with_the_reason_and_is_never_deleted()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("poison"));
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("fine"));
        Faults.FailCommit = (_, ids) => ids.Contains("poison");
        var options = Options();
        options.MaxSaveAttempts = 3;
        await using var watcher = Watcher(options);

        var passes = new List<MailboxPass>();
        for (var i = 0; i < 3; i++)
        {
            passes.Add(await watcher.ReadOnceAsync(CancellationToken.None));
            Time.Advance(options.RetryInterval);
        }

        Assert.Equal([(1, 1, 0), (0, 1, 0), (0, 0, 1)], passes.Select(p => (p.Archived, p.Failed, p.Unsaved)));
        Assert.Equal(3, Faults.FailedCommits);
        Assert.Equal(["poison"], _imap.ReadMessages(User, Unsaved).Select(ReportMessages.ReportIdIn));
        Assert.Equal(["fine"], _imap.ReadMessages(User, Aggregate).Select(ReportMessages.ReportIdIn));
        Assert.Equal(0, _imap.MessageCount(User, "INBOX"));
        Assert.Equal(["fine"], await StoredReportIdsAsync());
        var unsaved = Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Unsaved, CancellationToken.None));
        Assert.Contains("3 saves failed", unsaved.Reason, StringComparison.Ordinal);
        Assert.Contains("injected fault on report commit", unsaved.Reason, StringComparison.Ordinal);
        Assert.Equal(Unsaved, unsaved.MovedTo);
    }

    [Fact]
    public async Task The_same_report_delivered_twice_is_stored_once_the_duplicate_counted_and_both_messages_archived()
    {
        var report = ReportMessages.Aggregate("twice");
        await _imap.DeliverAsync(User, "INBOX", report);
        await _imap.DeliverAsync(User, "INBOX", report);
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("tls-twice"));
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("tls-twice"));
        await using var watcher = Watcher(Options());

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal(4, pass.Archived);
        Assert.Equal(["tls-twice", "twice"], await StoredReportIdsAsync());
        Assert.Equal(2, await DuplicateCountAsync());
        Assert.Equal((2, 2), (_imap.MessageCount(User, Aggregate), _imap.MessageCount(User, Tls)));
        Assert.Equal(
            [ReportInputOutcome.Duplicate, ReportInputOutcome.Imported, ReportInputOutcome.Duplicate, ReportInputOutcome.Imported],
            (await Log().LatestAsync(10, null, CancellationToken.None)).Select(i => i.Outcome));
    }

    [Fact]
    public async Task Two_nodes_reading_the_same_reports_at_once_store_each_once_and_count_the_duplicates()
    {
        string[] ids = ["race-1", "race-2", "race-3"];
        foreach (var id in ids)
        {
            // The same receiver's report sent to two report addresses, each read by another node.
            await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate(id));
            await _imap.DeliverAsync(OtherUser, "INBOX", ReportMessages.Aggregate(id));
        }

        // PostgreSQL: both nodes reach the insert of the first report before either commits, so the unique key decides.
        // SQLite takes its write lock at the start of a transaction, so there the second waits and the check before it decides.
        Faults.RaceAtFirstInsert = Provider == StorageProvider.Postgres ? 2 : 0;
        await using var first = Watcher(Options());
        await using var second = new ReportMailboxWatcher(Mailbox(OtherUser), Options(), Node(), Log(), Time, NullLogger.Instance);

        var passes = await Task.WhenAll(Task.Run(() => first.ReadOnceAsync(CancellationToken.None)), Task.Run(() => second.ReadOnceAsync(CancellationToken.None)));

        Assert.Equal([(3, 0), (3, 0)], passes.Select(p => (p.Archived, p.Failed)));
        Assert.Equal(ids, await StoredReportIdsAsync());
        Assert.Equal(3, await DuplicateCountAsync());
        Assert.Equal((3, 3, 0, 0), (_imap.MessageCount(User, Aggregate), _imap.MessageCount(OtherUser, Aggregate), _imap.MessageCount(User, "INBOX"), _imap.MessageCount(OtherUser, "INBOX")));
        var outcomes = (await Log().LatestAsync(10, null, CancellationToken.None)).Select(i => i.Outcome).ToList();
        Assert.Equal((3, 3), (outcomes.Count(o => o == ReportInputOutcome.Imported), outcomes.Count(o => o == ReportInputOutcome.Duplicate)));
    }

    [Fact]
    public async Task A_message_without_a_report_goes_to_Archive_Invalid_with_its_reason_and_the_others_are_imported()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.NotAReport("Out of office"));
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("after-the-bad-one"));
        await using var watcher = Watcher(Options());

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (pass.Archived, pass.Invalid));
        Assert.Equal((1, 1), (_imap.MessageCount(User, Invalid), _imap.MessageCount(User, Aggregate)));
        Assert.Equal(["after-the-bad-one"], await StoredReportIdsAsync());
        var invalid = Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None));
        Assert.Equal(("Out of office", Invalid, "mailbox dmarc"), (invalid.Name, invalid.MovedTo, invalid.Source));
        Assert.StartsWith("the e-mail carries no DMARC or TLS-RPT report (its parts: ", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_not_read_and_goes_to_Archive_Invalid()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("big"));
        var options = Options();
        options.MaxMessageBytes = 1024;
        await using var watcher = Watcher(options);

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Invalid);
        Assert.Empty(await StoredReportIdsAsync());
        Assert.Equal(1, _imap.MessageCount(User, Invalid));
        Assert.Contains("more than the limit of 1024", Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_arriving_while_it_waits_in_IDLE_are_imported_without_waiting_for_the_poll_interval()
    {
        var options = Options();
        options.PollInterval = TimeSpan.FromHours(1);
        await using var watcher = new ReportMailboxWatcher(Mailbox(User), options, Importer, Log(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = watcher.RunAsync(stop.Token);
        await WaitUntilAsync(() => _imap.LoginCount(User) >= 1, stop.Token);

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("while-idle"));
        await WaitUntilAsync(() => _imap.MessageCount(User, Aggregate) == 1, stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["while-idle"], await StoredReportIdsAsync());
    }

    [Fact]
    public async Task Without_IDLE_the_mailbox_is_polled()
    {
        await _imap.DisposeAsync();
        _imap = await TestImapServer.StartAsync([(User, Password)], offerIdle: false);
        var options = Options();
        options.PollInterval = TimeSpan.FromSeconds(1);
        await using var watcher = new ReportMailboxWatcher(Mailbox(User), options, Importer, Log(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = watcher.RunAsync(stop.Token);
        await WaitUntilAsync(() => _imap.LoginCount(User) >= 1, stop.Token);

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("polled"));
        await WaitUntilAsync(() => _imap.MessageCount(User, Tls) == 1, stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["polled"], await StoredReportIdsAsync());
    }

    [Fact]
    public async Task Wrong_credentials_are_a_mailbox_problem_and_nothing_is_imported()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("locked-out"));
        var mailbox = Mailbox(User);
        mailbox.Password = "wrong";
        await using var watcher = new ReportMailboxWatcher(mailbox, Options(), Importer, Log(), Time, NullLogger.Instance);

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => watcher.ReadOnceAsync(CancellationToken.None));

        Assert.Empty(await StoredReportIdsAsync());
        Assert.Equal(1, _imap.MessageCount(User, "INBOX"));
    }

    /// <summary>The archived messages whose report had not been committed (should be none, ever).</summary>
    private IEnumerable<string> ArchivedWithoutCommit(string when)
    {
        var committed = Faults.Committed.ToHashSet(StringComparer.Ordinal);
        return new[] { Aggregate, Tls }
            .SelectMany(folder => _imap.ReadMessages(User, folder).Select(ReportMessages.ReportIdIn))
            .Where(id => id is null || !committed.Contains(id))
            .Select(id => $"{id} archived {when} without its report committed")
            .ToList();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private ReportMailboxWatcher Watcher(DmarcIngestOptions options) => new(Mailbox(User), options, Importer, Log(), Time, NullLogger.Instance);

    private ReportMailboxOptions Mailbox(string user) => new() { Name = user, Host = _imap.Host, Port = _imap.Port, Security = "none", User = user, Password = Password };

    private static DmarcIngestOptions Options() => new() { RetryInterval = TimeSpan.FromMinutes(5), MaxSaveAttempts = 5 };
}

public sealed class SqliteReportMailboxTests : ReportMailboxTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresReportMailboxTests(PostgresFixture postgres) : ReportMailboxTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "dmarc_mailbox_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
