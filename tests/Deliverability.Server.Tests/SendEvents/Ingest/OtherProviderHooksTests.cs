using System.Net;
using System.Net.Http.Json;
using Deliverability.Core.SendEvents;
using Deliverability.Server.SendEvents.Hooks;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Server.Tests.SendEvents.Ingest;

/// <summary>Mailjet, Amazon SES through SNS, Postmark and the generic format over the real service.</summary>
public sealed class OtherProviderHooksTests : HooksFixture
{
    [Fact]
    public async Task Mailjet_single_events_and_version_2_arrays_are_stored_with_basic_auth_and_refused_without()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;

        var array = await client.SendAsync(Basic("/hooks/mailjet", EspPayloads.MailjetArray(now), "mj", "mj-password-123"));
        var single = await client.SendAsync(Basic("/hooks/mailjet", EspPayloads.MailjetBlocked(now), "mj", "mj-password-123"));
        var again = await client.SendAsync(Basic("/hooks/mailjet", EspPayloads.MailjetArray(now), "mj", "mj-password-123"));
        var wrong = await client.SendAsync(Basic("/hooks/mailjet", EspPayloads.MailjetBlocked(now.AddSeconds(1)), "mj", "wrong"));
        var none = await client.PostAsync("/hooks/mailjet", Json(EspPayloads.MailjetBlocked(now.AddSeconds(2))));

        Assert.Equal(new HookAnswer(3, 3, null), await array.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(new HookAnswer(1, 1, null), await single.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(new HookAnswer(3, 0, null), await again.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        var events = await EventsAsync(app);
        Assert.Equal([SendEventKind.Delivered, SendEventKind.HardBounce, SendEventKind.Complaint, SendEventKind.Blocked], events.Select(e => e.Kind));
        Assert.Equal(("transactional", 250, "2.0.0", "19421777835146490"), (events[0].Stream, events[0].SmtpCode, events[0].EnhancedStatus, events[0].MessageId));
        Assert.True(events[2].Critical);
        Assert.Equal("recipient: user unknown", events[1].Diagnostic);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_SES_notification_signed_by_SNS_is_unwrapped_into_one_event_per_recipient(int signatureVersion)
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        var bounce = Sns.Notification(Topic, "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", EspPayloads.SesBounce(now), now, signatureVersion, subject: "Amazon SES Email Event Notification");
        var delivery = Sns.Notification(Topic, "33b80b92-fdea-4c2c-8f9d-bdfb0c7bf325", EspPayloads.SesDelivery(now), now, signatureVersion);

        var first = await client.PostAsync("/hooks/ses", Json(bounce));
        var retry = await client.PostAsync("/hooks/ses", Json(bounce));
        await client.PostAsync("/hooks/ses", Json(delivery));

        Assert.Equal(new HookAnswer(2, 2, null), await first.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(new HookAnswer(2, 0, null), await retry.Content.ReadFromJsonAsync<HookAnswer>());
        var events = await EventsAsync(app);
        Assert.Equal([SendEventKind.HardBounce, SendEventKind.Blocked, SendEventKind.Delivered], events.Select(e => e.Kind));
        Assert.Equal(("22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324:0", 550, "5.1.1", "transactional"), (events[0].ProviderEventId, events[0].SmtpCode, events[0].EnhancedStatus, events[0].Stream));
        Assert.Equal(("example.com", "custom-message-ID"), (events[0].SendingDomain, events[0].MessageId));
        Assert.Equal((546L, "default"), (events[2].DeliveryLatencyMs, events[2].Stream));
        // The certificate was fetched once, from the SNS host, and then cached.
        Assert.Equal([new Uri(SnsSigner.CertificateUrl)], Sns.Handler.Requests);
    }

    [Fact]
    public async Task SES_refuses_an_unexpected_topic_a_tampered_message_a_certificate_off_SNS_and_an_old_timestamp()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;
        var otherTopic = Sns.Notification("arn:aws:sns:eu-west-1:999999999999:other", "m-1", EspPayloads.SesDelivery(now), now);
        var tampered = Sns.Notification(Topic, "m-2", EspPayloads.SesDelivery(now), now).Replace("546", "547", StringComparison.Ordinal);
        var offSns = Sns.Notification(Topic, "m-3", EspPayloads.SesDelivery(now), now, certificateUrl: "https://attacker.example/sns.pem");
        var plainHttp = Sns.Notification(Topic, "m-4", EspPayloads.SesDelivery(now), now, certificateUrl: "http://sns.eu-west-1.amazonaws.com/cert.pem");
        var old = Sns.Notification(Topic, "m-5", EspPayloads.SesDelivery(now), now.AddHours(-1));

        foreach (var body in new[] { otherTopic, tampered, offSns, plainHttp, old })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hooks/ses", Json(body))).StatusCode);
        }

        Assert.Empty(await EventsAsync(app));
        Assert.DoesNotContain(Sns.Handler.Requests, u => u.Host != "sns.eu-west-1.amazonaws.com" || u.Scheme != "https");
    }

    [Fact]
    public async Task An_SNS_subscription_is_confirmed_on_the_SNS_host_or_recorded_for_the_operator_when_outbound_calls_are_off()
    {
        const string Subscribe = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:ses-events&Token=2336412f37";
        var now = DateTimeOffset.UtcNow;
        await using (var app = StartHooks())
        {
            var client = app.CreateAnonymousClient();
            var confirmed = await client.PostAsync("/hooks/ses", Json(Sns.SubscriptionConfirmation(Topic, Subscribe, now)));
            var elsewhere = await client.PostAsync("/hooks/ses", Json(Sns.SubscriptionConfirmation(Topic, "https://attacker.example/?Action=ConfirmSubscription", now)));

            Assert.Equal("subscription confirmed", (await confirmed.Content.ReadFromJsonAsync<HookAnswer>())!.Message);
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
            Assert.Contains(new Uri(Subscribe), Sns.Handler.Requests);
            Assert.DoesNotContain(Sns.Handler.Requests, u => u.Host == "attacker.example");
            Assert.Contains("attacker.example", Assert.Single(await QuarantineAsync(app)).Body, StringComparison.Ordinal);
        }

        var before = Sns.Handler.Requests.Count(u => u.ToString() == Subscribe);
        await using (var app = StartHooks(("Monitor:SendEvents:OutboundCalls", "false")))
        {
            var recorded = await app.CreateAnonymousClient().PostAsync("/hooks/ses", Json(Sns.SubscriptionConfirmation(Topic, Subscribe, now)));

            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
            Assert.Equal(before, Sns.Handler.Requests.Count(u => u.ToString() == Subscribe));
            Assert.Contains(await QuarantineAsync(app), q => q.Reason.Contains("confirm it", StringComparison.Ordinal) && q.Body.Contains("ConfirmSubscription", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Postmark_records_are_stored_by_type_code_with_both_basic_auth_and_the_secret_header()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;

        HttpRequestMessage Post(string body, string secret = PostmarkSecret)
        {
            var request = Basic("/hooks/postmark", body, "pm", "pm-password-123");
            request.Headers.Add("X-Hook-Secret", secret);
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(EspPayloads.PostmarkBounce(now)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(EspPayloads.PostmarkBounce(now, 100006, "Blocked", 7)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(EspPayloads.PostmarkBounce(now, 4096, "SoftBounce", 8)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(EspPayloads.PostmarkDelivery(now)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post(EspPayloads.PostmarkSpamComplaint(now)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Post(EspPayloads.PostmarkBounce(now, id: 9), "wrong-secret-0123456789"))).StatusCode);
        var noBasic = new HttpRequestMessage(HttpMethod.Post, "/hooks/postmark") { Content = Json(EspPayloads.PostmarkBounce(now, id: 10)) };
        noBasic.Headers.Add("X-Hook-Secret", PostmarkSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(noBasic)).StatusCode);
        var unknown = await client.SendAsync(Post("""{"RecordType":"Inbound"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var events = await EventsAsync(app);
        Assert.Equal([SendEventKind.HardBounce, SendEventKind.Blocked, SendEventKind.SoftBounce, SendEventKind.Delivered, SendEventKind.Complaint], events.Select(e => e.Kind));
        Assert.Equal(("Bounce:4323372036854775807", 550, "5.1.1", "sender.example.com"[7..]), (events[0].ProviderEventId, events[0].SmtpCode, events[0].EnhancedStatus, events[0].SendingDomain));
        Assert.Single(await QuarantineAsync(app));
    }

    [Fact]
    public async Task The_generic_format_needs_its_bearer_token_and_a_malformed_event_is_400_naming_the_field()
    {
        await using var app = StartHooks();
        var client = app.CreateAnonymousClient();
        var now = DateTimeOffset.UtcNow;

        HttpRequestMessage Post(string body, string token = GenericToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/inhouse") { Content = Json(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        var good = await client.SendAsync(Post(EspPayloads.Generic(now)));
        var wrong = await client.SendAsync(Post(EspPayloads.Generic(now), "another-token-0123456789"));
        var malformed = await client.SendAsync(Post("""{"events":[{"id":"x","type":"exploded","timestamp":"2026-11-27T10:00:00Z"}]}"""));

        Assert.Equal(new HookAnswer(2, 2, null), await good.Content.ReadFromJsonAsync<HookAnswer>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("events[0].type", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = await EventsAsync(app);
        Assert.Equal(("transactional", 850L, "shop.example"), (events[0].Stream, events[0].DeliveryLatencyMs, events[0].SendingDomain));
        Assert.Equal((SendEventKind.Blocked, 554, "5.7.1"), (events[1].Kind, events[1].SmtpCode, events[1].EnhancedStatus));
        Assert.DoesNotContain("dave@", events[1].Diagnostic, StringComparison.Ordinal);
    }
}
