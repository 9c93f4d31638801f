using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>The built-in rules: record drift, stale data, blacklist listings, inbox rate, routing to receivers.</summary>
public sealed class AlertRuleTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public async Task A_changed_spf_record_fires_a_drift_alert_that_resolves_after_its_active_time()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.RecordDrift.ActiveFor = M(30));
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 ip4:192.0.2.0/24 -all"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(15));
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 ip4:192.0.2.0/24 -all"));
        await t.RunUntilAsync(M(30));
        Assert.Empty(t.Sender.Sent);

        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 include:_spf.example.net -all"));
        await t.RunUntilAsync(M(90));

        Assert.Equal(
            [(M(30) + S(45), NotificationStatus.Firing, "shop.test/spf:firing"), (M(60) + S(45), NotificationStatus.Resolved, "shop.test/spf:resolved")],
            t.Sender.Summary());
        var alert = t.Sender.Sent[0].Notification.Alerts[0];
        Assert.Equal("DnsRecordChanged", alert.Labels["alertname"]);
        Assert.Equal("Before: v=spf1 ip4:192.0.2.0/24 -all. Now: v=spf1 include:_spf.example.net -all.", alert.Annotations["description"]);
    }

    [Fact]
    public async Task A_record_change_and_its_revert_saved_between_two_evaluations_are_a_drift()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"));
        await t.EvaluateAsync();
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 +all"));
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"));
        t.Time.Advance(S(5));

        await t.EvaluateAsync();

        var alert = Assert.Single(await t.Store.ListAsync(new AlertFilter(State: AlertState.Firing)));
        Assert.Equal("DnsRecordChanged", alert.AlertName);
        Assert.Equal("Before: v=spf1 +all. Now: v=spf1 -all.", AlertJson.Map(alert.AnnotationsJson)["description"]);
    }

    [Fact]
    public async Task Records_in_another_order_or_a_dns_timeout_are_no_drift()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", AlertTimeline.Result("mx", CheckStatus.Ok, "10 a.mx.test", "20 b.mx.test"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(15));
        await t.AuditAsync("shop.test", AlertTimeline.Result("mx", CheckStatus.Ok, "20 b.mx.test", "10 a.mx.test"));
        await t.RunUntilAsync(M(30));
        await t.AuditAsync("shop.test", new CheckResult("mx", CheckStatus.Unknown, [], []));
        await t.RunUntilAsync(M(45));
        await t.AuditAsync("shop.test", AlertTimeline.Result("mx", CheckStatus.Ok, "10 a.mx.test", "20 b.mx.test"));
        await t.RunUntilAsync(M(60));

        Assert.Empty(t.Sender.Sent);
    }

    [Fact]
    public async Task A_check_that_has_not_run_for_three_audit_intervals_is_stale()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Route.GroupWait = TimeSpan.Zero);
        t.AuditInterval = M(10);
        t.Restart();
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Ok));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(30));
        Assert.Empty(t.Sender.Sent);

        await t.RunUntilAsync(M(31));
        var alert = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(("CheckStale", "shop.test", "spf"), (alert.Labels["alertname"], alert.Labels["domain"], alert.Labels["check"]));

        await t.AuditAsync("shop.test", ("spf", CheckStatus.Ok));
        await t.RunUntilAsync(M(40));
        Assert.Equal(NotificationStatus.Resolved, t.Sender.Sent[^1].Notification.Status);
    }

    [Fact]
    public async Task Inbox_rate_under_the_threshold_fires_only_with_enough_messages()
    {
        await using var t = await AlertTimeline.StartAsync(o =>
        {
            o.Rules.InboxRate.Threshold = 0.9;
            o.Rules.InboxRate.MinMessages = 5; // several seeds per provider
        });
        t.Signals.Current.Add(new InboxRateSignal("gmail", 0.85, 40, AlertTimeline.T0, Domain: "shop.test"));
        t.Signals.Current.Add(new InboxRateSignal("outlook", 0.1, 3, AlertTimeline.T0, Domain: "shop.test"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));

        var alert = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(("InboxRateLow", "gmail", "warning"), (alert.Labels["alertname"], alert.Labels["provider"], alert.Labels["severity"]));
        Assert.Equal("Inbox rate at gmail is 85 % (under 90 %)", alert.Annotations["summary"]);
    }

    [Fact]
    public async Task A_send_path_not_ready_for_a_peak_fires_after_its_for_with_the_send_path_and_the_peak()
    {
        await using var t = await AlertTimeline.StartAsync(o =>
        {
            o.Rules.Capacity.For = M(10);
            o.Rules.Capacity.Severity = "critical";
        });
        t.Signals.Current.Add(new CapacitySignal("mta", "Black Friday", new DateOnly(2026, 11, 27), CapacityProblem.BelowMargin, "needs 260/s; capacity 240/s: headroom 20%", AlertTimeline.T0));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(5));
        Assert.Empty(t.Sender.Sent); // pending for its For

        await t.RunUntilAsync(M(15));

        var alert = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(("CapacityNotReady", "mta", "Black Friday", "critical"), (alert.Labels["alertname"], alert.Labels["send_path"], alert.Labels["peak"], alert.Labels["severity"]));
        Assert.Equal("Send path mta has less headroom than the margin for Black Friday (2026-11-27)", alert.Annotations["summary"]);
        Assert.Equal("needs 260/s; capacity 240/s: headroom 20%", alert.Annotations["description"]);
    }

    [Fact]
    public async Task A_listed_domain_fires_with_its_zone_and_delisting_link()
    {
        await using var t = await AlertTimeline.StartAsync();
        t.Signals.Current.Add(new BlacklistListingSignal("shop.test", IsIp: false, "dbl.spamhaus.org", AlertTimeline.T0, DelistUrl: "https://check.spamhaus.org/"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));

        var alert = Assert.Single(Assert.Single(t.Sender.Sent).Notification.Alerts);
        Assert.Equal(
            new Dictionary<string, string> { ["alertname"] = "BlacklistListed", ["domain"] = "shop.test", ["severity"] = "critical", ["zone"] = "dbl.spamhaus.org" },
            alert.Labels);
        Assert.EndsWith("https://check.spamhaus.org/", alert.Annotations["fix"]);
    }

    [Fact]
    public async Task Child_routes_send_critical_alerts_to_the_pager_and_continue_lets_chat_see_everything()
    {
        await using var t = await AlertTimeline.StartAsync(o =>
        {
            o.Route.Receivers = ["chat"];
            o.Route.Routes.Add(new AlertRouteOptions { Matchers = ["severity=critical"], Receivers = ["pager"], GroupBy = ["alertname", "domain"], Continue = true });
            o.Route.Routes.Add(new AlertRouteOptions { Matchers = ["alertname=~.+"], Receivers = ["chat"] });
        }, "pager", "chat");
        await t.AuditAsync("a.test", ("spf", CheckStatus.Error), ("dmarc", CheckStatus.Warning));
        await t.AuditAsync("b.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));

        Assert.Equal(["a.test/dmarc:firing a.test/spf:firing b.test/spf:firing"], t.Sender.To("chat").Select(s => string.Join(" ", s.Notification.Alerts.Select(a => $"{a.Labels["domain"]}/{a.Labels["check"]}:firing").Order(StringComparer.Ordinal))));
        Assert.Equal(["root/0:{alertname=\"CheckFailing\",domain=\"a.test\"}", "root/0:{alertname=\"CheckFailing\",domain=\"b.test\"}"], t.Sender.To("pager").Select(s => s.Notification.GroupKey));
    }

    [Fact]
    public async Task A_failing_signal_source_resolves_nothing_of_its_own_and_stops_no_other_rule()
    {
        await using var t = await AlertTimeline.StartAsync();
        t.Signals.Current.Add(new BlacklistListingSignal("192.0.2.10", IsIp: true, "zen.spamhaus.org", AlertTimeline.T0));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));

        t.Signals.Failing = true;
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.RunUntilAsync(M(20));

        Assert.Equal(
            [(S(30), NotificationStatus.Firing, "192.0.2.10:firing"), (M(1) + S(45), NotificationStatus.Firing, "shop.test/spf:firing")], // its own group (alertname)
            t.Sender.Summary());
    }
}
