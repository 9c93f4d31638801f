using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Testing.Http;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>Retries on 429, 5xx, timeouts and connection failures; none on other 4xx; every attempt logged and recorded, never a secret.</summary>
public sealed class DeliveryRetryTests : NotifierFixture
{
    private static AlertGroupNotification Firing(string receiver) => Group(receiver, NotificationStatus.Firing, Alert("example.com"));

    [Fact]
    public async Task Server_errors_are_retried_until_delivered()
    {
        Receiver.Reply(new ReceiverReply(500), new ReceiverReply(503));
        var sender = await SenderAsync([Webhook(SecretUrl)]);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.Equal(new NotificationOutcome("ops-webhook", Delivered: true, Attempts: 3, Error: null), outcome);
        Assert.Equal(3, Receiver.Requests.Count);
        Assert.Equal(["retrying", "retrying", "delivered"], (await AttemptsAsync()).OrderBy(a => a.Attempt).Select(a => a.Result));
    }

    [Fact]
    public async Task Every_attempt_of_a_notification_carries_its_idempotency_key()
    {
        Receiver.Reply(new ReceiverReply(503));
        var sender = await SenderAsync([Webhook(SecretUrl)]);
        var notification = Firing("ops-webhook");

        var outcome = await sender.SendAsync(notification, CancellationToken.None);

        Assert.True(outcome.Delivered, outcome.Error);
        Assert.Equal([notification.IdempotencyKey, notification.IdempotencyKey], Receiver.Requests.Select(r => r.Headers["Idempotency-Key"]));
        Assert.Matches("^[0-9a-f]{32}$", notification.IdempotencyKey);
        Assert.NotEqual(notification.IdempotencyKey, Group("ops-webhook", NotificationStatus.Resolved, Alert("example.com", NotificationStatus.Resolved)).IdempotencyKey);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Client_errors_other_than_429_are_not_retried(int status)
    {
        Receiver.Reply(new ReceiverReply(status, Body: "invalid_payload"));
        var sender = await SenderAsync([Webhook(SecretUrl)]);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(1, outcome.Attempts);
        Assert.Single(Receiver.Requests);
        Assert.Contains($"HTTP {status}: invalid_payload", outcome.Error);
        var attempt = Assert.Single(await AttemptsAsync());
        Assert.Equal(("failed", status), (attempt.Result, attempt.StatusCode!.Value));
    }

    [Fact]
    public async Task Too_many_requests_waits_what_retry_after_asks()
    {
        var time = new FakeTimeProvider(Start);
        Receiver.Reply(new ReceiverReply(429, RetryAfter: TimeSpan.FromSeconds(7)));
        var sender = await SenderAsync([Webhook(SecretUrl)], time: time);

        var sending = sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);
        await Receiver.WaitForRequestsAsync(1);
        // The clock moves a second at a time until the retry arrives: it must not come before 7 s.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Receiver.Requests.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var outcome = await sending;
        Assert.True(outcome.Delivered);
        Assert.Equal(2, outcome.Attempts);
        var first = (await AttemptsAsync()).Single(a => a.Attempt == 1);
        Assert.Equal((429, 7000.0), (first.StatusCode!.Value, first.NextDelayMs!.Value));
        Assert.True(time.GetUtcNow() - Start >= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Retry_after_beyond_the_delivery_time_limit_ends_the_delivery()
    {
        Receiver.Reply(new ReceiverReply(429, RetryAfter: TimeSpan.FromMinutes(10)));
        var delivery = FastRetries;
        delivery.MaxDeliveryTime = TimeSpan.FromMinutes(5);
        var sender = await SenderAsync([Webhook(SecretUrl)], delivery);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(1, outcome.Attempts);
        Assert.Contains("delivery time limit", outcome.Error);
    }

    [Fact]
    public async Task Attempts_stop_at_max_attempts()
    {
        Receiver.Reply(Enumerable.Repeat(new ReceiverReply(502), 10).ToArray());
        var receiver = Webhook(SecretUrl);
        receiver.MaxAttempts = 3;
        var sender = await SenderAsync([receiver]);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, Receiver.Requests.Count);
        Assert.Contains("HTTP 502", outcome.Error);
        Assert.Contains("3 attempts made", outcome.Error);
    }

    [Fact]
    public async Task Slow_receiver_times_out_and_is_retried()
    {
        Receiver.Reply(ReceiverReply.Slow(TimeSpan.FromSeconds(60)));
        var receiver = Webhook(SecretUrl);
        receiver.Timeout = TimeSpan.FromSeconds(1);
        var sender = await SenderAsync([receiver]);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.True(outcome.Delivered);
        Assert.Equal(2, outcome.Attempts);
        var first = (await AttemptsAsync()).Single(a => a.Attempt == 1);
        Assert.Equal("retrying", first.Result);
        Assert.Equal("timed out after 1 s", first.Error);
    }

    [Fact]
    public async Task Receiver_that_is_down_is_retried_then_reported_failed()
    {
        var down = TestHttpReceiver.ClosedPortUrl("services/T000/B000/D0WNT0KEN");
        var receiver = Webhook(down);
        receiver.MaxAttempts = 3;
        var sender = await SenderAsync([receiver]);

        var outcome = await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(3, outcome.Attempts);
        Assert.Contains("connection failed", outcome.Error);
        Assert.DoesNotContain("D0WNT0KEN", outcome.Error);
        Assert.DoesNotContain("D0WNT0KEN", Logs.AllText);
        Assert.Equal(3, (await AttemptsAsync()).Count);
    }

    [Fact]
    public async Task Every_attempt_is_logged_with_receiver_attempt_outcome_and_duration_but_no_url_or_key()
    {
        // One receiver at a time, so the script reads in order: ops-webhook 500 then 200, oncall 400 (echoing its key).
        Receiver.Reply(new ReceiverReply(500), ReceiverReply.Ok, new ReceiverReply(400, Body: $"bad request for key {RoutingKey}"));
        var sender = await SenderAsync([Webhook(SecretUrl), PagerDuty()]);

        await sender.SendAsync(Firing("ops-webhook"), CancellationToken.None);
        await sender.SendAsync(Firing("oncall"), CancellationToken.None);

        var attempts = Logs.Entries.Where(e => e.Category.EndsWith("NotificationSender", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.Contains(attempts, e => e.Message.StartsWith("Notification to ops-webhook (webhook) attempt 1/5 failed: HTTP 500 (status 500) in ", StringComparison.Ordinal) && e.Message.Contains("; retrying in ", StringComparison.Ordinal));
        Assert.Contains(attempts, e => e.Message.StartsWith("Notification to ops-webhook (webhook) delivered on attempt 2/5: status 200 in ", StringComparison.Ordinal));
        Assert.Contains(attempts, e => e.Message.StartsWith("Notification to oncall (pagerduty) failed on attempt 1/5: HTTP 400", StringComparison.Ordinal));
        Assert.All(attempts, e => Assert.Contains(e.Values, v => v.StartsWith("DurationMs=", StringComparison.Ordinal)));
        Assert.NotEmpty(Logs.Entries);
        Assert.DoesNotContain("S3CR3TT0KEN", Logs.AllText);
        Assert.DoesNotContain(SecretUrl, Logs.AllText);
        Assert.DoesNotContain(Receiver.Url("v2/enqueue"), Logs.AllText);
        Assert.DoesNotContain(RoutingKey, Logs.AllText);
        Assert.DoesNotContain(RoutingKey, string.Join("\n", (await AttemptsAsync()).Select(a => a.Error)));
    }

    [Fact]
    public async Task Resolved_notification_is_not_sent_when_send_resolved_is_off()
    {
        var receiver = Webhook(SecretUrl);
        receiver.SendResolved = false;
        var sender = await SenderAsync([receiver]);

        var outcome = await sender.SendAsync(Group("ops-webhook", NotificationStatus.Resolved, Alert("example.com", NotificationStatus.Resolved)), CancellationToken.None);

        Assert.Equal(new NotificationOutcome("ops-webhook", Delivered: true, Attempts: 0, Error: null), outcome);
        Assert.Empty(Receiver.Requests);
    }

    [Fact]
    public async Task Unknown_receiver_is_reported_not_delivered_without_throwing()
    {
        var sender = await SenderAsync([Webhook(SecretUrl)]);

        var outcome = await sender.SendAsync(Firing("nobody"), CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(0, outcome.Attempts);
        Assert.Contains("'nobody' is not a configured receiver", outcome.Error);
        Assert.Equal(["ops-webhook"], sender.Receivers);
    }

    [Fact]
    public async Task Attempts_table_keeps_the_recent_attempts_newest_first()
    {
        var sender = await SenderAsync([Webhook(SecretUrl, "first"), Webhook(Receiver.Url("other"), "second")]);

        await sender.SendAsync(Firing("first"), CancellationToken.None);
        await sender.SendAsync(Firing("second"), CancellationToken.None);

        Assert.Equal(["second", "first"], (await AttemptsAsync()).Select(a => a.Receiver));
        var only = Assert.Single(await AttemptsAsync("first"));
        Assert.Equal(("webhook", "firing", 1, "delivered", 200), (only.ReceiverType, only.Status, only.Attempt, only.Result, only.StatusCode!.Value));
    }
}
