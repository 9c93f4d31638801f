using MailKit.Net.Smtp;
using MimeKit;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Sources.Postfix;
using Deliverability.Testing.Mail;

namespace Deliverability.Server.Tests.SendEvents.Ingest;

/// <summary>
/// A real Postfix on 127.0.0.1 relaying to smtp-sink (one accepting, one refusing every recipient with a 5xx, one with a
/// 4xx), its own log tailed by the service into the same normalised events as the webhooks, across a restart.
/// </summary>
public sealed class PostfixLogTailingTests : HooksFixture
{
    [Fact]
    public async Task Sent_bounced_and_deferred_lines_become_events_joined_with_sender_and_message_id_and_a_restart_resumes()
    {
        await using var accepting = await SmtpSink.StartAsync();
        await using var refusing = await SmtpSink.StartAsync("-f", "RCPT");
        await using var deferring = await SmtpSink.StartAsync("-r", "RCPT");
        var relays = await Task.WhenAll(PostfixRelay.StartAsync(accepting.Port), PostfixRelay.StartAsync(refusing.Port), PostfixRelay.StartAsync(deferring.Port));
        await using var sent = relays[0];
        await using var bounced = relays[1];
        await using var deferred = relays[2];
        (string, string?)[] logs =
        [
            ("Monitor:SendEvents:PostfixLogs:0:Name", "mta-sent"), ("Monitor:SendEvents:PostfixLogs:0:Path", sent.LogFile),
            ("Monitor:SendEvents:PostfixLogs:0:PollInterval", "00:00:00.2"),
            ("Monitor:SendEvents:PostfixLogs:1:Name", "mta-bounced"), ("Monitor:SendEvents:PostfixLogs:1:Path", bounced.LogFile),
            ("Monitor:SendEvents:PostfixLogs:1:PollInterval", "00:00:00.2"),
            ("Monitor:SendEvents:PostfixLogs:2:Name", "mta-deferred"), ("Monitor:SendEvents:PostfixLogs:2:Path", deferred.LogFile),
            ("Monitor:SendEvents:PostfixLogs:2:PollInterval", "00:00:00.2"),
            ("Monitor:SendEvents:Streams:1:Name", "mta"), ("Monitor:SendEvents:Streams:1:Match:0", "domain:shop.example"),
        ];

        List<SendEventRow> events;
        await using (var app = StartHooks(logs))
        {
            await SendAsync(sent, "pf-1@shop.example", "carol@example.net");
            await SendAsync(bounced, "pf-2@shop.example", "dave@example.net");
            await SendAsync(deferred, "pf-3@shop.example", "erin@example.net");
            await WaitForAsync(app, e => e.Source == "mta-sent", 1, [sent]);
            await WaitForAsync(app, e => e.Source == "mta-bounced", 1, [bounced]);
            events = await WaitForAsync(app, e => e.Source == "mta-deferred", 1, [deferred]);
            events = await EventsAsync(app);
        }

        var delivered = events.Single(e => e.Source == "mta-sent");
        Assert.Equal((SendEventKind.Delivered, "postfix", "pf-1@shop.example", "shop.example", "example.net", "mta"),
            (delivered.Kind, delivered.Provider, delivered.MessageId, delivered.SendingDomain, delivered.RecipientDomain, delivered.Stream));
        Assert.Equal((250, "2.0.0"), (delivered.SmtpCode, delivered.EnhancedStatus));
        Assert.NotNull(delivered.DeliveryLatencyMs);
        // The bounce notification Postfix then sends to the sender bounces too: the message's own event is the one with its id.
        var bounce = events.First(e => e.Source == "mta-bounced" && e.MessageId == "pf-2@shop.example");
        Assert.Equal(SendEventKind.HardBounce, bounce.Kind);
        Assert.Equal(5, bounce.SmtpCode / 100);
        Assert.Equal("pf-2@shop.example", bounce.MessageId);
        // Postfix retries a deferred message every few seconds here: each attempt is an event.
        var deferral = events.First(e => e.Source == "mta-deferred");
        Assert.All(events.Where(e => e.Source == "mta-deferred"), e => Assert.Equal((SendEventKind.Deferred, 4, "pf-3@shop.example"), (e.Kind, e.SmtpCode / 100, e.MessageId)));
        Assert.DoesNotContain("erin@", deferral.Diagnostic ?? "", StringComparison.Ordinal);

        // A restart resumes at the stored offset: the lines read before are not stored again, the new ones are.
        await using (var app = StartHooks(logs))
        {
            await SendAsync(sent, "pf-4@shop.example", "frank@example.net");
            var after = await WaitForAsync(app, e => e.Source == "mta-sent" && e.Kind == SendEventKind.Delivered, 2, [sent]);
            Assert.Equal(["pf-1@shop.example", "pf-4@shop.example"], after.Select(e => e.MessageId));
        }
    }

    private static async Task SendAsync(PostfixRelay relay, string messageId, string to)
    {
        var message = new MimeMessage { MessageId = messageId, Subject = "Order confirmation" };
        message.From.Add(MailboxAddress.Parse("orders@shop.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Body = new TextPart("plain") { Text = "Thank you for your order." };
        using var client = new SmtpClient();
        await client.ConnectAsync(relay.Host, relay.Port, MailKit.Security.SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    private static async Task<List<SendEventRow>> WaitForAsync(MonitorApplication app, Func<SendEventRow, bool> match, int count, PostfixRelay[] relays)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var events = (await EventsAsync(app)).Where(match).ToList();
            if (events.Count >= count)
            {
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{events.Count} of {count} events after 90 s. Logs:\n" + string.Join("\n---\n", relays.Select(r => r.LogTail())));
            }

            await Task.Delay(250);
        }
    }
}
