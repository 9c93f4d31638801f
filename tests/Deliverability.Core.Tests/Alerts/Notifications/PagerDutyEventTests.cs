using System.Text.Json;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>PagerDuty receivers get Events API v2 events: trigger, then resolve with the same dedup_key.</summary>
public sealed class PagerDutyEventTests : NotifierFixture
{
    [Fact]
    public async Task Trigger_and_resolve_of_a_group_share_one_dedup_key()
    {
        var sender = await SenderAsync([PagerDuty()]);

        Assert.True((await sender.SendAsync(Group("oncall", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None)).Delivered);
        Assert.True((await sender.SendAsync(Group("oncall", NotificationStatus.Resolved, Alert("example.com", NotificationStatus.Resolved)), CancellationToken.None)).Delivered);

        var events = Receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToArray();
        Assert.Equal(2, events.Length);
        Assert.All(Receiver.Requests, r => Assert.Equal("/v2/enqueue", r.Path));
        Assert.Equal("trigger", events[0].GetProperty("event_action").GetString());
        Assert.Equal("resolve", events[1].GetProperty("event_action").GetString());
        var dedupKey = events[0].GetProperty("dedup_key").GetString();
        Assert.False(string.IsNullOrEmpty(dedupKey));
        Assert.True(dedupKey.Length <= 255);
        Assert.Equal(dedupKey, events[1].GetProperty("dedup_key").GetString());
        Assert.All(events, e => Assert.Equal(RoutingKey, e.GetProperty("routing_key").GetString()));
    }

    [Fact]
    public async Task Trigger_has_summary_source_severity_details_and_links()
    {
        var sender = await SenderAsync([PagerDuty()]);

        await sender.SendAsync(Group("oncall", NotificationStatus.Firing, Alert("example.com")), CancellationToken.None);

        var trigger = JsonDocument.Parse(Assert.Single(Receiver.Requests).Body).RootElement;
        var payload = trigger.GetProperty("payload");
        Assert.Contains("DKIM key s1 of example.com is missing", payload.GetProperty("summary").GetString());
        Assert.StartsWith("[FIRING:1] DkimKeyMissing", payload.GetProperty("summary").GetString());
        Assert.Equal("example.com", payload.GetProperty("source").GetString());
        Assert.Equal("critical", payload.GetProperty("severity").GetString());
        Assert.Equal("2026-11-27T09:30:00Z", payload.GetProperty("timestamp").GetString());
        Assert.Equal("dkim", payload.GetProperty("component").GetString());
        Assert.Equal(1, payload.GetProperty("custom_details").GetProperty("num_firing").GetInt32());
        Assert.Contains("Publish the DKIM public key", payload.GetProperty("custom_details").GetProperty("firing").GetString());
        var link = Assert.Single(trigger.GetProperty("links").EnumerateArray());
        Assert.Equal("https://monitor.example.com/domains/example.com", link.GetProperty("href").GetString());
    }

    [Theory]
    [InlineData("critical", "critical")]
    [InlineData("error", "error")]
    [InlineData("warning", "warning")]
    [InlineData("info", "info")]
    [InlineData("something-else", "error")]
    public void Severity_label_maps_to_the_four_pagerduty_severities(string label, string expected) =>
        Assert.Equal(expected, PagerDutyEvent.Severity([Alert("example.com", severity: label)]));

    [Fact]
    public void Group_severity_is_the_highest_of_its_alerts() =>
        Assert.Equal("critical", PagerDutyEvent.Severity([Alert("a.example", severity: "warning"), Alert("b.example", severity: "critical"), Alert("c.example", severity: "info")]));

    [Fact]
    public void Dedup_key_differs_between_groups() =>
        Assert.NotEqual(PagerDutyEvent.DedupKey("{}:{alertname=\"A\"}"), PagerDutyEvent.DedupKey("{}:{alertname=\"B\"}"));

    [Fact]
    public async Task Default_url_is_the_events_api_v2()
    {
        var receiver = new ReceiverOptions { Name = "pd", Type = "pagerduty", RoutingKey = RoutingKey };

        Assert.Empty(ReceiverOptionsValidation.Validate(new AlertReceiversOptions { Receivers = [receiver] }));
        Assert.Equal("https://events.pagerduty.com/v2/enqueue", receiver.EffectiveUrl);
        await Task.CompletedTask;
    }
}
