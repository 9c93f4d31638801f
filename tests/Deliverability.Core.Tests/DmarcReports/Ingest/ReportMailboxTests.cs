using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// A real Dovecot mailbox read by <see cref="ReportMailboxWatcher"/>: no message leaves the inbox before its report is
/// committed, a failed save leaves it for a retry and, after too many, in Archive/Unsaved; nothing is deleted.
/// </summary>
public sealed class ReportMailboxTests : StoreFixture
{
    private const string User = "dmarc";
    private const string Password = "reports-secret";
    private const string Aggregate = "Archive/Aggregate";
    private const string Tls = "Archive/TLS";
    private const string Invalid = "Archive/Invalid";
    private const string Unsaved = "Archive/Unsaved";

    private readonly StandInReportImporter _importer = new();
    private TestImapServer _imap = null!;

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _imap = await TestImapServer.StartAsync([(User, Password)]);
    }

    public override async Task DisposeAsync()
    {
        await _imap.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_save_failing_mid_batch_leaves_its_message_in_the_inbox_and_no_message_moves_before_its_report_is_saved()
    {
        for (var i = 1; i <= 6; i++)
        {
            await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate($"report-{i}"));
        }

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("tls-1"));
        var violations = new List<string>();
        _importer.BeforeSave = (call, _) => violations.AddRange(ArchivedWithoutSave($"before call {call}"));
        _importer.Fail = (call, _) => call == 3;
        var options = Options();
        await using var watcher = Watcher(options);

        var first = await watcher.ReadOnceAsync(CancellationToken.None);
        var inboxAfterFailure = _imap.ReadMessages(User, "INBOX").Select(ReportMessages.ReportIdIn).ToList();
        var early = await watcher.ReadOnceAsync(CancellationToken.None);
        Time.Advance(options.RetryInterval);
        var retry = await watcher.ReadOnceAsync(CancellationToken.None);
        violations.AddRange(ArchivedWithoutSave("at the end"));

        Assert.Empty(violations);
        Assert.Equal((6, 1), (first.Archived, first.Failed));
        Assert.Equal(["report-3"], inboxAfterFailure);
        Assert.Equal((0, 1), (early.Moved, early.Waiting));
        Assert.Equal((1, 0), (retry.Archived, retry.Failed));
        Assert.Equal((0, 6, 1), (_imap.MessageCount(User, "INBOX"), _imap.MessageCount(User, Aggregate), _imap.MessageCount(User, Tls)));
        Assert.Equal(7, _importer.Saved.Count);
    }

    [Fact]
    public async Task A_message_whose_save_keeps_failing_goes_to_Archive_Unsaved_with_the_reason_and_is_never_deleted()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("poison"));
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("fine"));
        _importer.Fail = (_, reportId) => reportId == "poison";
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
        Assert.Equal(["poison"], _imap.ReadMessages(User, Unsaved).Select(ReportMessages.ReportIdIn));
        Assert.Equal((0, 1), (_imap.MessageCount(User, "INBOX"), _imap.MessageCount(User, Aggregate)));
        var unsaved = Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Unsaved, CancellationToken.None));
        Assert.Contains("3 saves failed", unsaved.Reason);
        Assert.Contains("database is locked", unsaved.Reason);
        Assert.Equal(Unsaved, unsaved.MovedTo);
    }

    [Fact]
    public async Task The_same_report_delivered_twice_is_saved_once_and_both_messages_are_archived()
    {
        var report = ReportMessages.Aggregate("twice");
        await _imap.DeliverAsync(User, "INBOX", report);
        await _imap.DeliverAsync(User, "INBOX", report);
        await using var watcher = Watcher(Options());

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal(2, pass.Archived);
        Assert.Equal((1, 1), (_importer.Saved.Count, _importer.Duplicates));
        Assert.Equal(2, _imap.MessageCount(User, Aggregate));
        Assert.Equal([ReportInputOutcome.Duplicate, ReportInputOutcome.Imported], (await Log().LatestAsync(10, null, CancellationToken.None)).Select(i => i.Outcome));
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
        var invalid = Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None));
        Assert.Equal(("Out of office", "no DMARC or TLS-RPT report found in the input", Invalid, "mailbox dmarc"), (invalid.Name, invalid.Reason, invalid.MovedTo, invalid.Source));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_not_read_and_goes_to_Archive_Invalid()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("big"));
        var options = Options();
        options.MaxMessageBytes = 1024;
        await using var watcher = Watcher(options);

        var pass = await watcher.ReadOnceAsync(CancellationToken.None);

        Assert.Equal((1, 0), (pass.Invalid, _importer.Calls));
        Assert.Contains("more than the limit of 1024", Assert.Single(await Log().LatestAsync(10, ReportInputOutcome.Invalid, CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task Reports_arriving_while_it_waits_in_IDLE_are_imported_without_waiting_for_the_poll_interval()
    {
        var options = Options();
        options.PollInterval = TimeSpan.FromHours(1);
        await using var watcher = new ReportMailboxWatcher(Mailbox(), options, _importer, Log(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = watcher.RunAsync(stop.Token);
        await WaitUntilAsync(() => _imap.LoginCount(User) >= 1, stop.Token);

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("while-idle"));
        await WaitUntilAsync(() => _imap.MessageCount(User, Aggregate) == 1, stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["while-idle"], _importer.Saved);
    }

    [Fact]
    public async Task Without_IDLE_the_mailbox_is_polled()
    {
        await _imap.DisposeAsync();
        _imap = await TestImapServer.StartAsync([(User, Password)], offerIdle: false);
        var options = Options();
        options.PollInterval = TimeSpan.FromSeconds(1);
        await using var watcher = new ReportMailboxWatcher(Mailbox(), options, _importer, Log(), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = watcher.RunAsync(stop.Token);
        await WaitUntilAsync(() => _imap.LoginCount(User) >= 1, stop.Token);

        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Tls("polled"));
        await WaitUntilAsync(() => _imap.MessageCount(User, Tls) == 1, stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["polled"], _importer.Saved);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_mailbox_problem_and_nothing_is_imported()
    {
        await _imap.DeliverAsync(User, "INBOX", ReportMessages.Aggregate("locked-out"));
        var mailbox = Mailbox();
        mailbox.Password = "wrong";
        await using var watcher = new ReportMailboxWatcher(mailbox, Options(), _importer, Log(), Time, NullLogger.Instance);

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => watcher.ReadOnceAsync(CancellationToken.None));

        Assert.Equal((0, 1), (_importer.Calls, _imap.MessageCount(User, "INBOX")));
    }

    /// <summary>The archived messages whose report the importer had not committed (should be none, ever).</summary>
    private IEnumerable<string> ArchivedWithoutSave(string when)
    {
        var saved = _importer.Saved.ToHashSet();
        return new[] { Aggregate, Tls }
            .SelectMany(folder => _imap.ReadMessages(User, folder).Select(ReportMessages.ReportIdIn))
            .Where(id => id is null || !saved.Contains(id))
            .Select(id => $"{id} archived {when} without its report saved");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private ReportMailboxWatcher Watcher(DmarcIngestOptions options) => new(Mailbox(), options, _importer, Log(), Time, NullLogger.Instance);

    private ReportInputLog Log() => new(Contexts, Time);

    private ReportMailboxOptions Mailbox() => new() { Name = "dmarc", Host = _imap.Host, Port = _imap.Port, Security = "none", User = User, Password = Password };

    private static DmarcIngestOptions Options() => new() { RetryInterval = TimeSpan.FromMinutes(5), MaxSaveAttempts = 5 };
}
