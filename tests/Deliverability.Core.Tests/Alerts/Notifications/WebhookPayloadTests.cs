using System.Text.Json;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>The webhook receiver gets Alertmanager's payload version 4, field for field, over real HTTP.</summary>
public sealed class WebhookPayloadTests : NotifierFixture
{
    private async Task<JsonElement> SendAndReceiveAsync(AlertGroupNotification notification, ReceiverOptions receiver)
    {
        var sender = await SenderAsync([receiver]);
        var outcome = await sender.SendAsync(notification, CancellationToken.None);
        Assert.True(outcome.Delivered, outcome.Error);
        var request = Assert.Single(Receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal(NotifierServices.UserAgent, request.Headers["User-Agent"]);
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    [Fact]
    public async Task Firing_group_is_posted_as_alertmanager_webhook_version_4()
    {
        var json = await SendAndReceiveAsync(Group("ops-webhook", NotificationStatus.Firing, Alert("example.com"), Alert("example.org")), Webhook(Receiver.Url()));

        Assert.Equal(
            ["alerts", "commonAnnotations", "commonLabels", "externalURL", "groupKey", "groupLabels", "receiver", "status", "truncatedAlerts", "version"],
            json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("4", json.GetProperty("version").GetString());
        Assert.Equal("firing", json.GetProperty("status").GetString());
        Assert.Equal("ops-webhook", json.GetProperty("receiver").GetString());
        Assert.Equal("{}/{severity=~\"critical|error\"}:{alertname=\"DkimKeyMissing\"}", json.GetProperty("groupKey").GetString());
        Assert.Equal(0, json.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("https://monitor.example.com/", json.GetProperty("externalURL").GetString());
        Assert.Equal("DkimKeyMissing", json.GetProperty("groupLabels").GetProperty("alertname").GetString());
        // Labels shared by both alerts are common; the domain differs, so it is not.
        var common = json.GetProperty("commonLabels");
        Assert.Equal("critical", common.GetProperty("severity").GetString());
        Assert.False(common.TryGetProperty("domain", out _));
        Assert.Equal("Publish the DKIM public key at s1._domainkey.", json.GetProperty("commonAnnotations").GetProperty("fix").GetString());
        Assert.False(json.GetProperty("commonAnnotations").TryGetProperty("summary", out _));
        Assert.Equal(2, json.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task Each_alert_has_the_seven_fields_and_a_zero_end_while_firing()
    {
        var json = await SendAndReceiveAsync(Group("ops-webhook", NotificationStatus.Firing, Alert("example.com")), Webhook(Receiver.Url()));

        var alert = json.GetProperty("alerts")[0];
        Assert.Equal(
            ["annotations", "endsAt", "fingerprint", "generatorURL", "labels", "startsAt", "status"],
            alert.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("2026-11-27T09:30:00Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal("https://monitor.example.com/domains/example.com", alert.GetProperty("generatorURL").GetString());
        Assert.Equal("fp-example.com-DkimKeyMissing", alert.GetProperty("fingerprint").GetString());
        Assert.Equal("example.com", alert.GetProperty("labels").GetProperty("domain").GetString());
        Assert.Equal("DKIM key s1 of example.com is missing", alert.GetProperty("annotations").GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Resolved_alert_carries_its_end_time()
    {
        var json = await SendAndReceiveAsync(Group("ops-webhook", NotificationStatus.Resolved, Alert("example.com", NotificationStatus.Resolved)), Webhook(Receiver.Url()));

        Assert.Equal("resolved", json.GetProperty("status").GetString());
        var alert = json.GetProperty("alerts")[0];
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("2026-11-27T10:12:00Z", alert.GetProperty("endsAt").GetString());
    }

    [Fact]
    public async Task Alerts_beyond_max_alerts_are_counted_as_truncated()
    {
        var receiver = Webhook(Receiver.Url());
        receiver.MaxAlerts = 2;
        var alerts = Enumerable.Range(1, 5).Select(i => Alert($"d{i}.example.com")).ToArray();

        var json = await SendAndReceiveAsync(Group("ops-webhook", NotificationStatus.Firing, alerts), receiver);

        Assert.Equal(2, json.GetProperty("alerts").GetArrayLength());
        Assert.Equal(3, json.GetProperty("truncatedAlerts").GetInt32());
    }
}
