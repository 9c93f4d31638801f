using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.Placement;

/// <summary>What a run leaves in the seed mailboxes (a real Dovecot, a real SMTP server on 127.0.0.1).</summary>
public sealed class PlacementCleanupTests
{
    [Fact]
    public async Task Test_messages_stay_when_delete_after_run_is_off()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice", "Junk") });
        var options = Options(imap, smtp);
        options.DeleteAfterRun = false;

        var report = await RunAsync(options);

        Assert.Equal(SeedPlacementStatus.Spam, Assert.Single(report.Seeds).Status);
        Assert.Equal(1, imap.MessageCount("alice", "Junk"));
    }

    [Fact]
    public async Task Next_run_removes_test_messages_earlier_runs_left_in_the_inbox_junk_and_other_folders()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice") });
        // Earlier runs that could not read the mailbox, or whose message came after their timeout.
        var now = DateTimeOffset.UtcNow;
        await imap.DeliverAsync("alice", "INBOX", TestMessage(Token(), now.AddHours(-6)));
        await imap.DeliverAsync("alice", "Junk", TestMessage(Token(), now.AddDays(-3)));
        await imap.DeliverAsync("alice", "Promotions", TestMessage(Token(), now.AddHours(-1)));

        var report = await RunAsync(Options(imap, smtp));

        Assert.Equal(SeedPlacementStatus.Inbox, Assert.Single(report.Seeds).Status);
        Assert.Equal((0, 0, 0), (imap.MessageCount("alice", "INBOX"), imap.MessageCount("alice", "Junk"), imap.MessageCount("alice", "Promotions")));
    }

    [Fact]
    public async Task Leftovers_are_removed_by_the_next_run_that_can_read_the_mailbox()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice", "Junk") });
        var broken = Options(imap, smtp);
        broken.Seeds[0].Imap.Password = "not-alice-pw";

        var first = await RunAsync(broken);
        // The first run could not read the mailbox: its message stays until a run can.
        Assert.Equal(SeedPlacementStatus.Error, Assert.Single(first.Seeds).Status);
        Assert.Equal(1, imap.MessageCount("alice", "Junk"));

        var fixedOptions = Options(imap, smtp);
        fixedOptions.Timeout = TimeSpan.FromSeconds(2); // the first run is over by more than this
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await RunAsync(fixedOptions);

        Assert.Equal(SeedPlacementStatus.Spam, Assert.Single(second.Seeds).Status);
        Assert.Equal(0, imap.MessageCount("alice", "Junk"));
    }

    [Fact]
    public async Task Mail_of_someone_else_and_test_messages_of_a_run_that_may_still_be_going_are_kept()
    {
        await using var imap = await TestImapServer.StartAsync([("alice", "alice-pw")]);
        await using var smtp = TestSmtpServer.Start(imap, new Dictionary<string, SeedRoute> { ["alice@gmail.test"] = SeedRoute.File("alice") });
        var now = DateTimeOffset.UtcNow;
        // Someone's mail quoting a token, someone's header that is not a token, and a run sent a minute ago (within Timeout).
        await imap.DeliverAsync("alice", "INBOX", Message(now.AddDays(-2), extraHeader: null, body: $"Was this yours? Reference: {Token()}"));
        await imap.DeliverAsync("alice", "Junk", Message(now.AddDays(-2), extraHeader: $"{PlacementMessage.TokenHeader}: hello", body: "Not a test message."));
        await imap.DeliverAsync("alice", "INBOX", TestMessage(Token(), now.AddMinutes(-1)));

        await RunAsync(Options(imap, smtp));

        Assert.Equal((2, 1), (imap.MessageCount("alice", "INBOX"), imap.MessageCount("alice", "Junk")));
    }

    private static Task<PlacementRunReport> RunAsync(PlacementOptions options) =>
        new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, null);

    private static PlacementOptions Options(TestImapServer imap, TestSmtpServer smtp) => new()
    {
        Seeds = [new SeedMailboxOptions { Provider = "Gmail", Address = "alice@gmail.test", Imap = new ImapAccountOptions { Host = imap.Host, Port = imap.Port, Security = "none", User = "alice", Password = "alice-pw" } }],
        SendPaths = [new SendPathOptions { Name = "mta", Host = smtp.Host, Port = smtp.Port, Security = "none" }],
        Message = new PlacementMessageOptions { From = "news@shop.test" },
        Timeout = TimeSpan.FromMinutes(10),
        PollInterval = TimeSpan.FromMilliseconds(500),
    };

    private static string Token() => PlacementMessage.Token(Guid.NewGuid(), 0);

    private static byte[] TestMessage(string token, DateTimeOffset date) =>
        Message(date, $"{PlacementMessage.TokenHeader}: {token}", $"This is an inbox placement test message.\r\n\r\nReference: {token}");

    private static byte[] Message(DateTimeOffset date, string? extraHeader, string body) => Encoding.ASCII.GetBytes(
        "From: news@shop.test\r\nTo: alice@gmail.test\r\nSubject: Inbox placement test\r\n"
        + $"Date: {date.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)}\r\n"
        + (extraHeader is null ? "" : extraHeader + "\r\n")
        + $"Message-ID: <{Guid.NewGuid():N}@shop.test>\r\n\r\n{body}\r\n");
}
