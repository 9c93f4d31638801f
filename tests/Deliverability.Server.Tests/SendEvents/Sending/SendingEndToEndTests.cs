using System.Text.Json;
using Deliverability.Core.SendEvents;
using Deliverability.Testing.Http;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Sending;

/// <summary>
/// The acceptance of the sending alerts: stored events with a spike of blocks at one mailbox provider are rolled up by
/// the service's processor and raise one alert, delivered to a real webhook receiver (Kestrel on 127.0.0.1) through the
/// product's notifiers. Real time with short intervals.
/// </summary>
public sealed class SendingEndToEndTests : SendingService
{
    [Fact]
    public async Task A_spike_of_blocks_at_one_mailbox_provider_raises_one_alert_at_the_receiver()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        await using var app = StartSendingService(AlertingTo(receiver));
        _ = app.CreateClient();
        var now = DateTimeOffset.UtcNow;
        // Ten minutes of steady delivery at Gmail and Yahoo, then 60 blocks at Yahoo in the last minute.
        await StoreAsync(app, Steady(now.AddMinutes(-10), now.AddMinutes(-1), 10, at => Event(at, SendEventKind.Delivered, "gmail.com")));
        await StoreAsync(app, Steady(now.AddMinutes(-10), now.AddMinutes(-1), 10, at => Event(at, SendEventKind.Delivered, "yahoo.com")));
        await StoreAsync(app, Steady(now.AddMinutes(-1), now.AddMinutes(-1).AddSeconds(59), 60,
            at => Event(at, SendEventKind.Blocked, "yahoo.com", status: "5.7.1", diagnostic: "554 5.7.1 Message rejected as spam by content filtering")));

        var alert = Assert.Single(await SettledAlertsAsync(app, receiver));
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        var labels = alert.GetProperty("labels");
        Assert.Equal(("SendRateHigh", "yahoo", "block", "critical"),
            (labels.GetProperty("alertname").GetString(), labels.GetProperty("mailbox_provider").GetString(), labels.GetProperty("rate").GetString(), labels.GetProperty("severity").GetString()));
        Assert.Equal("Block rate at yahoo is 40.0% (over 5.0%)", alert.GetProperty("annotations").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_spike_of_blocks_posted_to_a_SendGrid_webhook_raises_one_alert_at_the_receiver()
    {
        using var sendGrid = new SendGridSigner();
        await using var receiver = await TestHttpReceiver.StartAsync();
        await using var app = StartSendingService(
        [
            ("Monitor:SendEvents:RecipientHashKey", "test-recipient-hash-key-0123456789"),
            ("Monitor:SendEvents:Sources:0:Name", "sendgrid-main"),
            ("Monitor:SendEvents:Sources:0:Provider", "sendgrid"),
            ("Monitor:SendEvents:Sources:0:PublicKey", sendGrid.PublicKey),
            .. AlertingTo(receiver)
        ]);
        var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow;
        // As SendGrid posts them: ten minutes of steady delivery at Gmail and Yahoo, then 60 blocks at Yahoo in the last minute.
        var events = new List<string>();
        for (var minute = 10; minute >= 2; minute--)
        {
            for (var i = 0; i < 10; i++)
            {
                var at = now.AddMinutes(-minute).AddSeconds(i * 5);
                events.Add(EspPayloads.SendGridDelivered(at, $"gm-{minute}-{i}", $"user{i}@gmail.com"));
                events.Add(EspPayloads.SendGridDelivered(at, $"ya-{minute}-{i}", $"user{i}@yahoo.com"));
            }
        }

        for (var i = 0; i < 60; i++)
        {
            var at = now.AddMinutes(-1).AddSeconds(i * 59.0 / 60).ToUnixTimeSeconds();
            events.Add($$"""{"email":"block{{i}}@yahoo.com","timestamp":{{at}},"event":"bounce","sg_event_id":"block-{{i}}","sg_message_id":"block-{{i}}.filter0001","reason":"554 5.7.1 Message rejected as spam by content filtering","status":"5.7.1","type":"blocked"}""");
        }

        // In three posts, as SendGrid batches them.
        foreach (var chunk in events.Chunk(100))
        {
            using var post = sendGrid.Request("/hooks/sendgrid-main", "[" + string.Join(",", chunk) + "]", DateTimeOffset.UtcNow);
            using var answer = await client.SendAsync(post);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }

        var alert = Assert.Single(await SettledAlertsAsync(app, receiver));
        var labels = alert.GetProperty("labels");
        Assert.Equal(("SendRateHigh", "yahoo", "block", "critical"),
            (labels.GetProperty("alertname").GetString(), labels.GetProperty("mailbox_provider").GetString(), labels.GetProperty("rate").GetString(), labels.GetProperty("severity").GetString()));
        Assert.Equal("Block rate at yahoo is 40.0% (over 5.0%)", alert.GetProperty("annotations").GetProperty("summary").GetString());
    }

    /// <summary>Alerts evaluated every second, delivered to the receiver's <c>oncall</c> path within seconds.</summary>
    private static (string, string?)[] AlertingTo(TestHttpReceiver receiver) =>
    [
        ("Monitor:Alerts:Receivers:0:Name", "oncall"),
        ("Monitor:Alerts:Receivers:0:Type", "webhook"),
        ("Monitor:Alerts:Receivers:0:Url", receiver.Url("oncall")),
        ("Monitor:Alerts:EvaluationInterval", "00:00:01"),
        ("Monitor:Alerts:Route:GroupWait", "00:00:01"),
        ("Monitor:Alerts:Route:GroupInterval", "00:00:02"),
        ("Monitor:Alerts:Rules:StaleData:Enabled", "false"),
    ];

    /// <summary>Once every event is rolled up: the alerts the receiver got, after a few more evaluations (nothing else, nothing twice).</summary>
    private static async Task<JsonElement[]> SettledAlertsAsync(MonitorApplication app, TestHttpReceiver receiver)
    {
        await WaitUntilProcessedAsync(app);
        for (var attempt = 0; attempt < 100 && Alerts(receiver).Length == 0; attempt++)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        return Alerts(receiver);
    }

    /// <summary>Every alert of every payload the receiver got.</summary>
    private static JsonElement[] Alerts(TestHttpReceiver receiver) =>
        [.. receiver.Requests.Where(r => r.Path.EndsWith("/oncall", StringComparison.Ordinal))
            .SelectMany(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("alerts").EnumerateArray())];
}
