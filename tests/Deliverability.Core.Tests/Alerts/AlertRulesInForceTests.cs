using Deliverability.Core.Alerts;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>Rule changes made in the dashboard (<see cref="EffectiveAlertRules"/>) change what the engine fires, from its next evaluation.</summary>
public sealed class AlertRulesInForceTests
{
    [Fact]
    public async Task Raising_the_inbox_rate_threshold_in_the_dashboard_fires_and_disabling_the_rule_resolves_the_alert()
    {
        await using var t = await AlertTimeline.StartAsync(); // configured threshold: 0.8
        t.Signals.Current.Add(new InboxRateSignal("gmail", 0.85, 40, AlertTimeline.T0, Domain: "shop.test"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));
        Assert.Empty(t.Sender.Sent);

        Assert.Empty(await t.Rules.SaveAsync(new Dictionary<string, string> { ["InboxRate:Threshold"] = "0.9" }, "ada"));
        await t.RunUntilAsync(M(4));

        var firing = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(("InboxRateLow", "Inbox rate at gmail is 85 % (under 90 %)"), (firing.Labels["alertname"], firing.Annotations["summary"]));

        Assert.Empty(await t.Rules.SaveAsync(new Dictionary<string, string> { ["InboxRate:Enabled"] = "false" }, "ada"));
        await t.RunUntilAsync(M(12));

        Assert.Equal([NotificationStatus.Firing, NotificationStatus.Resolved], t.Sender.Sent.Select(s => s.Notification.Status));
    }

    [Fact]
    public async Task A_refused_change_leaves_the_rules_as_they_were()
    {
        await using var t = await AlertTimeline.StartAsync();
        t.Signals.Current.Add(new InboxRateSignal("gmail", 0.5, 40, AlertTimeline.T0, Domain: "shop.test"));

        var problems = await t.Rules.SaveAsync(new Dictionary<string, string> { ["InboxRate:Enabled"] = "false", ["InboxRate:Threshold"] = "1.5" }, "ada");
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));

        Assert.Equal(["InboxRate:Threshold"], problems.Select(p => p.Key));
        Assert.Equal("InboxRateLow", Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts).Labels["alertname"]);
    }

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);
}
