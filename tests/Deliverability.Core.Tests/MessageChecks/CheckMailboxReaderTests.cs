using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.MessageChecks.Mailbox;
using Deliverability.Core.Placement;
using Deliverability.Testing.Mail;
using MimeKit;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>The check mailbox read from a real Dovecot: messages to waiting tags are handed over and removed; other mail is left alone.</summary>
public sealed class CheckMailboxReaderTests : IAsyncLifetime
{
    private const string Mailbox = "checks@checks.example.test";
    private TestImapServer _imap = null!;

    public async Task InitializeAsync() => _imap = await TestImapServer.StartAsync([("checks", "checks-pw")]);

    public async Task DisposeAsync() => await _imap.DisposeAsync();

    [Fact]
    public async Task A_message_to_a_waiting_tag_is_handed_over_then_removed_and_other_mail_stays()
    {
        var tag = CheckAddress.NewTag();
        var other = CheckAddress.NewTag();
        await _imap.DeliverAsync("checks", "INBOX", Message(CheckAddress.For(Mailbox, tag), "The campaign"));
        await _imap.DeliverAsync("checks", "INBOX", Message("someone@checks.example.test", "Not a check"));
        await _imap.DeliverAsync("checks", "INBOX", Message(CheckAddress.For(Mailbox, other), "Nobody waits for this tag"));
        var received = new List<ReceivedCheckMessage>();
        await using var reader = new CheckMailboxReader(Options(), 1024 * 1024, TimeProvider.System, NullLogger.Instance);

        var handled = await reader.ReadOnceAsync([tag], (m, _) => { received.Add(m); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(1, handled);
        var message = Assert.Single(received);
        Assert.Equal(tag, message.Tag);
        Assert.Contains("Subject: The campaign", System.Text.Encoding.UTF8.GetString(message.Message!));
        Assert.Equal(2, _imap.MessageCount("checks", "INBOX"));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_reported_without_being_read()
    {
        var tag = CheckAddress.NewTag();
        await _imap.DeliverAsync("checks", "INBOX", Message(CheckAddress.For(Mailbox, tag), "Huge", new string('x', 8000)));
        var received = new List<ReceivedCheckMessage>();
        await using var reader = new CheckMailboxReader(Options(), 4096, TimeProvider.System, NullLogger.Instance);

        await reader.ReadOnceAsync([tag], (m, _) => { received.Add(m); return Task.CompletedTask; }, CancellationToken.None);

        var message = Assert.Single(received);
        Assert.Null(message.Message);
        Assert.Contains("at most 4096", message.Problem);
        Assert.Equal(0, _imap.MessageCount("checks", "INBOX"));
    }

    [Fact]
    public async Task The_running_reader_picks_up_a_message_that_arrives_after_its_address_was_given_out()
    {
        var tag = CheckAddress.NewTag();
        string[] waiting = [];
        var arrived = new TaskCompletionSource<ReceivedCheckMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reader = new CheckMailboxReader(Options(), 1024 * 1024, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = reader.RunAsync(_ => Task.FromResult<IReadOnlyList<string>>(Volatile.Read(ref waiting)), (m, _) => { arrived.TrySetResult(m); return Task.CompletedTask; }, stop.Token);

        Volatile.Write(ref waiting, [tag]);
        reader.Wake();
        await _imap.DeliverAsync("checks", "INBOX", Message(CheckAddress.For(Mailbox, tag), "Sent later"));

        var message = await arrived.Task.WaitAsync(stop.Token);
        Assert.Equal(tag, message.Tag);
        await stop.CancelAsync();
        await running;
    }

    private CheckMailboxOptions Options() => new()
    {
        Address = Mailbox,
        Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = "none", User = "checks", Password = "checks-pw" },
        PollInterval = TimeSpan.FromSeconds(30),
    };

    private static byte[] Message(string to, string subject, string body = "Forty percent off everything until Monday night.")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", "news@shop.example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = body };
        return TestDkimKey.Bytes(message);
    }
}
