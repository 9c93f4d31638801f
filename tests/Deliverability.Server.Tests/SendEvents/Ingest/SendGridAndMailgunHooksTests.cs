using System.Net;
using System.Net.Http.Json;
using Deliverability.Core.SendEvents;
using Deliverability.Server.SendEvents.Hooks;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Ingest;

/// <summary>SendGrid (ECDSA) and Mailgun (HMAC) webhooks over the real service and its SQLite file: good, tampered, replayed, expired.</summary>
public sealed class SendGridAndMailgunHooksTests : HooksFixture
{
    [Fact]
    public async Task A_signed_SendGrid_batch_is_stored_normalised_and_its_retry_stores_nothing_new()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        var body = EspPayloads.SendGridBatch(now);

        var first = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", body, now));
        var retry = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", body, now));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(new HookAnswer(10, 10, null), await first.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(new HookAnswer(10, 0, null), await retry.Content.ReadFromJsonAsync<HookAnswer>());
        var events = await EventsAsync(app);
        Assert.Equal(
            [SendEventKind.Accepted, SendEventKind.Deferred, SendEventKind.Delivered, SendEventKind.HardBounce, SendEventKind.Blocked,
             SendEventKind.Dropped, SendEventKind.Open, SendEventKind.Click, SendEventKind.Complaint, SendEventKind.Unsubscribe],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("sendgrid", "sendgrid-main", "test.com"), (e.Provider, e.Source, e.RecipientDomain)));
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", e.RecipientHash!));
        Assert.All(events, e => Assert.Equal(now.ToUnixTimeSeconds(), e.OccurredAt.ToUnixTimeSeconds()));

        var delivered = events.Single(e => e.ProviderEventId == "sg-delivered");
        Assert.Equal(("transactional", 250), (delivered.Stream, delivered.SmtpCode));
        var bounce = events.Single(e => e.ProviderEventId == "sg-bounce");
        Assert.Equal((500, "5.0.0", "default"), (bounce.SmtpCode, bounce.EnhancedStatus, bounce.Stream));
        Assert.DoesNotContain("example@test.com", bounce.Diagnostic, StringComparison.Ordinal);
        Assert.Contains("<address>", bounce.Diagnostic, StringComparison.Ordinal);
        var blocked = events.Single(e => e.ProviderEventId == "sg-blocked");
        Assert.True(blocked.Critical);
        Assert.Equal("5.7.1", blocked.EnhancedStatus);
        Assert.All(events.Where(e => e != blocked), e => Assert.False(e.Critical));
    }

    [Fact]
    public async Task A_tampered_SendGrid_body_or_a_missing_signature_is_401_and_nothing_is_stored()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        var body = EspPayloads.SendGridBatch(now);
        var tampered = SendGrid.Request("/hooks/sendgrid-main", body, now);
        tampered.Content = Json(body.Replace("\"delivered\"", "\"bounce\"", StringComparison.Ordinal));
        using var other = new SendGridSigner();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/sendgrid-main", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(other.Request("/hooks/sendgrid-main", body, now))).StatusCode);
        Assert.Empty(await EventsAsync(app));
        Assert.Empty(await QuarantineAsync(app));
    }

    [Fact]
    public async Task A_SendGrid_post_signed_outside_the_replay_window_is_401()
    {
        await using var app = StartHooks(("Monitor:SendEvents:Sources:0:ReplayWindow", "00:05:00"));
        var client = app.CreateAnonymousClient();
        var old = DateTimeOffset.UtcNow.AddMinutes(-6);
        var future = DateTimeOffset.UtcNow.AddMinutes(6);

        var expired = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", EspPayloads.SendGridBatch(old), old));
        var ahead = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", EspPayloads.SendGridBatch(future), future));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("replay window", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, ahead.StatusCode);
        Assert.Empty(await EventsAsync(app));
    }

    [Fact]
    public async Task A_signed_SendGrid_body_that_is_not_an_event_array_is_400_and_quarantined()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        const string Body = """{"event":"delivered"}""";

        var response = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", Body, now));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("array", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var kept = Assert.Single(await QuarantineAsync(app));
        Assert.Equal(("sendgrid-main", Body), (kept.Source, kept.Body));
        Assert.Empty(await EventsAsync(app));
    }

    [Fact]
    public async Task A_signed_Mailgun_event_is_stored_under_its_token_and_a_retry_is_a_duplicate()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        var body = MailgunSigner.Body(MailgunKey, now, "token-1-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd", EspPayloads.MailgunFailed(now));
        var delivered = MailgunSigner.Body(MailgunKey, now, "token-2-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd", EspPayloads.MailgunDelivered(now));
        var temporary = MailgunSigner.Body(MailgunKey, now, "token-3-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd", EspPayloads.MailgunTemporary(now));

        var first = await client.PostAsync("/hooks/mailgun", Json(body));
        var retry = await client.PostAsync("/hooks/mailgun", Json(body));
        await client.PostAsync("/hooks/mailgun", Json(delivered));
        await client.PostAsync("/hooks/mailgun", Json(temporary));

        Assert.Equal(new HookAnswer(1, 1, null), await first.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(new HookAnswer(1, 0, null), await retry.Content.ReadFromJsonAsync<HookAnswer>());
        var events = await EventsAsync(app);
        Assert.Equal([SendEventKind.HardBounce, SendEventKind.Delivered, SendEventKind.Deferred], events.Select(e => e.Kind));
        Assert.Equal("token-1-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd", events[0].ProviderEventId);
        Assert.Equal(("mg.example.com", "example.com", null), (events[0].SendingDomain, events[0].RecipientDomain, events[0].SmtpCode));
        Assert.Equal(("transactional", "20130503182626.18666.16540@mg.example.com"), (events[1].Stream, events[1].MessageId));
        Assert.Equal((421, "4.2.1"), (events[2].SmtpCode, events[2].EnhancedStatus));
    }

    [Fact]
    public async Task A_Mailgun_token_reused_for_another_event_a_bad_signature_or_an_old_timestamp_is_401()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        const string Token = "token-9-abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd";
        var genuine = MailgunSigner.Body(MailgunKey, now, Token, EspPayloads.MailgunDelivered(now));
        // The signature covers only timestamp + token: the same signature around a forged event.
        var forged = MailgunSigner.Body(MailgunKey, now, Token, EspPayloads.MailgunFailed(now, "victim@example.com"));
        var wrongKey = MailgunSigner.Body("another-key", now, "token-10", EspPayloads.MailgunDelivered(now));
        var old = MailgunSigner.Body(MailgunKey, now.AddMinutes(-11), "token-11", EspPayloads.MailgunDelivered(now.AddMinutes(-11)));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/hooks/mailgun", Json(genuine))).StatusCode);
        var reuse = await client.PostAsync("/hooks/mailgun", Json(forged));
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Contains("already used", await reuse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/mailgun", Json(wrongKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/mailgun", Json(old))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/mailgun", Json("not json"))).StatusCode);
        Assert.Equal(SendEventKind.Delivered, Assert.Single(await EventsAsync(app)).Kind);
        Assert.Empty(await QuarantineAsync(app));
    }

    [Fact]
    public async Task An_unknown_source_is_404_and_a_body_over_the_limit_is_413()
    {
        await using var app = StartHooks(("Monitor:SendEvents:MaxRequestBytes", "2048"));
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/hooks/nobody", Json("[]"))).StatusCode);
        var large = await client.SendAsync(SendGrid.Request("/hooks/sendgrid-main", EspPayloads.SendGridBatch(now), now));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Empty(await EventsAsync(app));
    }
}
