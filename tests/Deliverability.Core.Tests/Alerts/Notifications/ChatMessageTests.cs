using System.Text.Json;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>Slack incoming webhooks and Teams workflow webhooks get their own message shapes over real HTTP.</summary>
public sealed class ChatMessageTests : NotifierFixture
{
    private async Task<JsonElement> SendAsync(ReceiverOptions receiver, AlertGroupNotification notification)
    {
        var sender = await SenderAsync([receiver]);
        Assert.True((await sender.SendAsync(notification, CancellationToken.None)).Delivered);
        return JsonDocument.Parse(Assert.Single(Receiver.Requests).Body).RootElement.Clone();
    }

    [Fact]
    public async Task Slack_message_has_text_blocks_a_red_attachment_and_links_while_firing()
    {
        var slack = new ReceiverOptions { Name = "slack-ops", Type = "slack", Url = SecretUrl, Timeout = TimeSpan.FromSeconds(30) };

        var json = await SendAsync(slack, Group("slack-ops", NotificationStatus.Firing, Alert("example.com"), Alert("example.org")));

        Assert.Equal("[FIRING:2] DkimKeyMissing", json.GetProperty("text").GetString());
        Assert.Equal("header", json.GetProperty("blocks")[0].GetProperty("type").GetString());
        var attachment = json.GetProperty("attachments")[0];
        Assert.Equal(SlackMessage.FiringColor, attachment.GetProperty("color").GetString());
        var sections = attachment.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("text").GetProperty("text").GetString()).ToArray();
        Assert.Equal(2, sections.Length);
        Assert.Contains("DKIM key s1 of example.com is missing", sections[0]);
        Assert.Contains("*Fix:* Publish the DKIM public key", sections[0]);
        Assert.Contains("<https://monitor.example.com/domains/example.com|View in the dashboard>", sections[0]);
    }

    [Fact]
    public async Task Slack_message_is_green_when_resolved_and_escapes_control_characters()
    {
        var slack = new ReceiverOptions { Name = "slack-ops", Type = "slack", Url = SecretUrl, Timeout = TimeSpan.FromSeconds(30) };
        var alert = Alert("example.com", NotificationStatus.Resolved) with { Annotations = new Dictionary<string, string> { ["summary"] = "a <b> & c" } };

        var json = await SendAsync(slack, Group("slack-ops", NotificationStatus.Resolved, alert));

        var attachment = json.GetProperty("attachments")[0];
        Assert.Equal(SlackMessage.ResolvedColor, attachment.GetProperty("color").GetString());
        Assert.Contains("a &lt;b&gt; &amp; c", attachment.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Teams_message_carries_one_adaptive_card_with_facts_and_a_dashboard_action()
    {
        var teams = new ReceiverOptions { Name = "teams-ops", Type = "teams", Url = SecretUrl, Timeout = TimeSpan.FromSeconds(30) };

        var json = await SendAsync(teams, Group("teams-ops", NotificationStatus.Firing, Alert("example.com")));

        Assert.Equal("message", json.GetProperty("type").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToArray();
        Assert.Equal("[FIRING:1] DkimKeyMissing", body[0].GetProperty("text").GetString());
        Assert.Equal("Attention", body[0].GetProperty("color").GetString());
        var facts = body.Single(b => b.GetProperty("type").GetString() == "FactSet").GetProperty("facts").EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("example.com", facts["domain"]);
        Assert.Equal("Publish the DKIM public key at s1._domainkey.", facts["fix"]);
        var action = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.OpenUrl", action.GetProperty("type").GetString());
        Assert.Equal("https://monitor.example.com/", action.GetProperty("url").GetString());
    }
}
