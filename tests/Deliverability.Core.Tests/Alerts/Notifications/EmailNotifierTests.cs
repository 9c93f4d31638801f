using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Testing.Mail;
using SmtpServer.Protocol;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>Email receivers send through MailKit to a real SMTP server on 127.0.0.1.</summary>
public sealed class EmailNotifierTests : NotifierFixture
{
    private const string Password = "sm7p-Pa55w0rd!";

    private static ReceiverOptions Email(int port, string? user = null) => new()
    {
        Name = "ops-mail",
        Type = "email",
        Timeout = TimeSpan.FromSeconds(30),
        Email = new EmailReceiverOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Security = "None",
            User = user,
            Password = user is null ? null : Password,
            From = "Deliverability monitor <monitor@example.com>",
            To = ["oncall@example.com", "postmaster@example.org"],
        },
    };

    [Fact]
    public async Task Email_subject_has_status_and_count_and_body_lists_summary_fix_and_link()
    {
        await using var smtp = TestSmtpServer.Start();
        var sender = await SenderAsync([Email(smtp.Port)]);

        var outcome = await sender.SendAsync(Group("ops-mail", NotificationStatus.Firing, Alert("example.com"), Alert("example.org")), CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("monitor@example.com", mail.From);
        Assert.Equal(["oncall@example.com", "postmaster@example.org"], mail.To);
        Assert.Equal("[FIRING:2] DkimKeyMissing", mail.Message.Subject);
        Assert.Equal("auto-generated", mail.Message.Headers["Auto-Submitted"]);
        // A resend of the same notification has the same Message-ID, which mail systems dedupe on.
        Assert.Equal($"{Group("ops-mail", NotificationStatus.Firing, Alert("example.com"), Alert("example.org")).IdempotencyKey}@example.com", mail.Message.MessageId);
        var text = mail.Message.TextBody;
        var html = mail.Message.HtmlBody;
        foreach (var body in new[] { text, html })
        {
            Assert.Contains("DKIM key s1 of example.com is missing", body);
            Assert.Contains("DKIM key s1 of example.org is missing", body);
            Assert.Contains("Publish the DKIM public key at s1._domainkey.", body);
            Assert.Contains("https://monitor.example.com/domains/example.com", body);
        }

        Assert.Contains("2 firing", text);
        Assert.Contains("<a href=\"https://monitor.example.com/domains/example.org\">", html);
    }

    [Fact]
    public async Task Resolved_email_says_resolved()
    {
        await using var smtp = TestSmtpServer.Start();
        var sender = await SenderAsync([Email(smtp.Port)]);

        await sender.SendAsync(Group("ops-mail", NotificationStatus.Resolved, Alert("example.com", NotificationStatus.Resolved)), CancellationToken.None);

        var mail = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("[RESOLVED:1] DkimKeyMissing", mail.Message.Subject);
        Assert.Contains("1 resolved", mail.Message.TextBody);
    }

    [Fact]
    public async Task Sender_authenticates_and_the_password_is_never_logged()
    {
        await using var smtp = TestSmtpServer.Start(user: "alerts", password: Password);
        var sender = await SenderAsync([Email(smtp.Port, user: "alerts")]);

        var outcome = await sender.SendAsync(Group("ops-mail", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal("alerts", Assert.Single(await smtp.WaitForMessagesAsync(1)).User);
        Assert.NotEmpty(Logs.Entries);
        Assert.DoesNotContain(Password, Logs.AllText);
    }

    [Fact]
    public async Task Transient_smtp_reply_is_retried()
    {
        await using var smtp = TestSmtpServer.Start();
        smtp.Reply((SmtpReplyCode)451);
        var sender = await SenderAsync([Email(smtp.Port)]);

        var outcome = await sender.SendAsync(Group("ops-mail", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal(2, outcome.Attempts);
        var first = (await AttemptsAsync()).Single(a => a.Attempt == 1);
        Assert.Equal("retrying", first.Result);
        Assert.InRange(first.StatusCode!.Value, 400, 499);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task Permanent_smtp_reply_is_not_retried()
    {
        await using var smtp = TestSmtpServer.Start();
        smtp.Reply(SmtpReplyCode.TransactionFailed);
        var sender = await SenderAsync([Email(smtp.Port)]);

        var outcome = await sender.SendAsync(Group("ops-mail", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains("SMTP 554", outcome.Error);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task Smtp_server_that_is_down_is_retried_then_reported_failed()
    {
        int port;
        await using (var stopped = TestSmtpServer.Start())
        {
            port = stopped.Port;
        }

        var receiver = Email(port);
        receiver.MaxAttempts = 2;
        var sender = await SenderAsync([receiver]);

        var outcome = await sender.SendAsync(Group("ops-mail", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(2, outcome.Attempts);
        Assert.Contains("connection failed", outcome.Error);
    }
}
