using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>Pending, firing, resolved; group_wait, group_interval, repeat_interval; on a fixed timeline.</summary>
public sealed class AlertLifecycleTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public async Task A_broken_check_is_notified_once_after_group_wait_with_its_labels_and_fix()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.ExternalUrl = "https://monitor.example/");
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error), ("spf", CheckStatus.Ok));

        await t.EvaluateAsync();
        await t.RunUntilAsync(S(15));
        Assert.Empty(t.Sender.Sent);
        await t.RunUntilAsync(M(60));

        var (at, notification) = Assert.Single(t.Sender.Sent);
        Assert.Equal(S(30), at);
        Assert.Equal(("oncall", NotificationStatus.Firing), (notification.Receiver, notification.Status));
        Assert.Equal(new Dictionary<string, string> { ["alertname"] = "CheckFailing" }, notification.GroupLabels);
        var alert = Assert.Single(notification.Alerts);
        Assert.Equal(
            new Dictionary<string, string> { ["alertname"] = "CheckFailing", ["check"] = "dkim", ["domain"] = "shop.test", ["severity"] = "critical" },
            alert.Labels);
        Assert.Equal("Publish a valid dkim record.", alert.Annotations["fix"]);
        Assert.Equal("https://monitor.example/domains/shop.test", alert.Annotations["dashboard_url"]);
        Assert.Equal(AlertLabels.Fingerprint(alert.Labels), alert.Fingerprint);
        Assert.Equal(AlertTimeline.T0, alert.StartsAt);
        Assert.Null(alert.EndsAt);
    }

    [Fact]
    public async Task An_alert_stays_pending_for_its_for_duration_then_fires()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.CheckStatus.For = M(5));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(4));

        var pending = Assert.Single(await t.Store.ListAsync(new AlertFilter()));
        Assert.Equal(AlertState.Pending, pending.State);
        Assert.Empty(t.Sender.Sent);

        await t.RunUntilAsync(M(10));
        Assert.Equal([(M(5) + S(30), NotificationStatus.Firing, "shop.test/spf:firing")], t.Sender.Summary());
        var history = await t.Store.GetHistoryAsync(pending.Fingerprint, 10);
        Assert.Equal([((AlertState?)null, AlertState.Pending, TimeSpan.Zero), (AlertState.Pending, AlertState.Firing, M(5))], history.Select(h => (h.FromState, h.ToState, h.At - AlertTimeline.T0)));
    }

    [Fact]
    public async Task A_condition_that_heals_before_its_for_duration_is_never_notified()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.CheckStatus.For = M(5));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(3));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Ok));
        await t.RunUntilAsync(M(30));

        Assert.Empty(t.Sender.Sent);
        Assert.Empty(await t.Store.ListAsync(new AlertFilter()));
    }

    [Fact]
    public async Task For_runs_needs_that_many_consecutive_bad_runs_and_a_good_run_starts_again()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.CheckStatus.ForRuns = 2);
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(15));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Ok));
        await t.RunUntilAsync(M(30));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        await t.RunUntilAsync(M(45));
        Assert.Empty(t.Sender.Sent);

        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        await t.RunUntilAsync(M(50));

        // Stored just after the evaluation at 45:00: seen at 45:15, notified after group_wait.
        Assert.Equal([(M(45) + S(45), NotificationStatus.Firing, "shop.test/mx:firing")], t.Sender.Summary());
    }

    [Fact]
    public async Task Two_bad_audits_saved_between_two_evaluations_are_two_runs_towards_for_runs()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.CheckStatus.ForRuns = 2);
        await t.EvaluateAsync();
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        t.Time.Advance(S(5));

        await t.EvaluateAsync();

        var alert = Assert.Single(await t.Store.ListAsync(new AlertFilter()));
        Assert.Equal((AlertState.Firing, "mx"), (alert.State, AlertJson.Map(alert.LabelsJson)["check"]));
    }

    [Fact]
    public async Task A_good_audit_between_two_bad_ones_saved_before_one_evaluation_starts_the_run_count_again()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Rules.CheckStatus.ForRuns = 2);
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Ok));
        t.Time.Advance(S(5));
        await t.AuditAsync("shop.test", ("mx", CheckStatus.Error));
        t.Time.Advance(S(5));

        await t.EvaluateAsync();

        Assert.Equal(AlertState.Pending, Assert.Single(await t.Store.ListAsync(new AlertFilter())).State);
    }

    [Fact]
    public async Task An_unknown_run_neither_fires_nor_resolves()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Unknown));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));
        Assert.Empty(t.Sender.Sent);

        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.RunUntilAsync(M(15));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Unknown));
        await t.RunUntilAsync(M(60));

        Assert.Equal([(M(10) + S(45), NotificationStatus.Firing, "shop.test/spf:firing")], t.Sender.Summary());
    }

    [Fact]
    public async Task A_fix_is_notified_as_one_resolve_at_the_next_group_interval()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Ok));
        await t.RunUntilAsync(M(60));

        Assert.Equal(
            [(S(30), NotificationStatus.Firing, "shop.test/dkim:firing"), (S(30) + M(5), NotificationStatus.Resolved, "shop.test/dkim:resolved")],
            t.Sender.Summary());
        var resolved = Assert.Single(t.Sender.Sent[1].Notification.Alerts);
        Assert.Equal(AlertTimeline.T0 + M(2) + S(15), resolved.EndsAt);
        Assert.Equal(AlertState.Resolved, (await t.Store.GetAsync(resolved.Fingerprint))!.State);
    }

    [Fact]
    public async Task Resolved_notifications_can_be_turned_off_on_the_route()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Route.SendResolved = false);
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Ok));
        await t.RunUntilAsync(M(60));

        Assert.Equal([(S(30), NotificationStatus.Firing, "shop.test/dkim:firing")], t.Sender.Summary());
    }

    [Fact]
    public async Task A_new_alert_joins_its_group_at_the_next_group_interval_not_at_once()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("a.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));
        await t.AuditAsync("b.test", ("spf", CheckStatus.Error));
        await t.RunUntilAsync(M(20));

        Assert.Equal(
            [(S(30), NotificationStatus.Firing, "a.test/spf:firing"), (S(30) + M(5), NotificationStatus.Firing, "a.test/spf:firing b.test/spf:firing")],
            t.Sender.Summary());
    }

    [Fact]
    public async Task An_unchanged_firing_group_is_repeated_after_the_repeat_interval_only()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Route.RepeatInterval = TimeSpan.FromHours(1));
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Warning));
        await t.EvaluateAsync();
        await t.RunUntilAsync(TimeSpan.FromHours(2.5));

        // Flushes fall on group_interval ticks (every 5 min from 30 s): the first one at least an hour after each notification.
        Assert.Equal([S(30), S(30) + M(60), S(30) + M(120)], t.Sender.Sent.Select(s => s.At));
        Assert.All(t.Sender.Sent, s => Assert.Equal("warning", Assert.Single(s.Notification.Alerts).Labels["severity"]));
    }

    [Fact]
    public async Task Acknowledged_alerts_stop_the_repeats_and_are_stored_with_who_and_when()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Route.RepeatInterval = TimeSpan.FromHours(1));
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));
        var fingerprint = Assert.Single(t.Sender.Sent).Notification.Alerts[0].Fingerprint;

        Assert.Equal(AcknowledgeResult.Acknowledged, await t.Acknowledgements.AcknowledgeAsync(fingerprint, "alice"));
        await t.RunUntilAsync(TimeSpan.FromHours(3));

        Assert.Single(t.Sender.Sent);
        var stored = await t.Store.GetAsync(fingerprint);
        Assert.Equal(("alice", AlertTimeline.T0 + M(10)), (stored!.AcknowledgedBy, stored.AcknowledgedAt));
        Assert.Contains(await t.Store.GetHistoryAsync(fingerprint, 10), h => h.Note == "acknowledged by alice");
        Assert.Equal(AcknowledgeResult.NotFound, await t.Acknowledgements.AcknowledgeAsync("0000000000000000", "alice"));
    }

    [Fact]
    public async Task A_flapping_check_gives_at_most_one_notification_per_group_interval()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.EvaluateAsync();
        for (var minute = 0; minute < 60; minute++)
        {
            await t.AuditAsync("shop.test", ("spf", minute % 2 == 0 ? CheckStatus.Error : CheckStatus.Ok));
            await t.RunUntilAsync(M(minute + 1));
        }

        var sent = t.Sender.Sent;
        // 30 times firing and 30 times resolved in the hour: the receiver hears of it at most once per 5-minute flush.
        Assert.InRange(sent.Count, 1, 12);
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= M(5)));
        var history = await t.Store.GetHistoryAsync(Assert.Single(await t.Store.ListAsync(new AlertFilter(IncludeResolved: true))).Fingerprint, 1000);
        Assert.Equal(60, history.Count);
    }

    [Fact]
    public async Task Changes_are_published_on_the_live_feed()
    {
        await using var t = await AlertTimeline.StartAsync();
        var received = new List<AlertChanged>();
        var all = new TaskCompletionSource();
        using var subscription = t.Feed.Subscribe(change =>
        {
            lock (received)
            {
                received.Add(change);
                if (received.Count == 2)
                {
                    all.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(S(15));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Ok));
        await t.RunUntilAsync(S(30));

        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([((AlertState?)null, AlertState.Firing), (AlertState.Firing, AlertState.Resolved)], received.Select(c => (c.From, c.To)));
        Assert.All(received, c => Assert.Equal(("CheckFailing", "shop.test"), (c.AlertName, c.Labels["domain"])));
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_notification_at_the_next_group_interval()
    {
        await using var t = await AlertTimeline.StartAsync();
        t.Sender.Failing = true;
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));
        t.Sender.Failing = false;
        await t.RunUntilAsync(M(30));

        Assert.Equal([(S(30) + M(5), NotificationStatus.Firing, "shop.test/spf:firing")], t.Sender.Summary());
    }

    [Fact]
    public async Task A_burst_of_a_thousand_broken_domains_is_one_notification_per_receiver()
    {
        await using var t = await AlertTimeline.StartAsync(null, "oncall", "chat");
        for (var i = 0; i < 1000; i++)
        {
            await t.AuditAsync($"d{i}.test", ("dkim", CheckStatus.Error));
        }

        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));

        Assert.Equal(["chat", "oncall"], t.Sender.Sent.Select(s => s.Notification.Receiver));
        Assert.All(t.Sender.Sent, s => Assert.Equal(1000, s.Notification.Alerts.Count));
    }

    [Fact]
    public async Task A_resolved_alert_and_its_history_are_removed_after_the_retention()
    {
        await using var t = await AlertTimeline.StartAsync(o =>
        {
            o.ResolvedRetention = TimeSpan.FromHours(2);
            o.EvaluationInterval = M(5);
        });
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));
        var fingerprint = Assert.Single(await t.Store.ListAsync(new AlertFilter())).Fingerprint;
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Ok));
        await t.RunUntilAsync(M(60));
        Assert.NotNull(await t.Store.GetAsync(fingerprint));

        await t.RunUntilAsync(TimeSpan.FromHours(4));

        Assert.Null(await t.Store.GetAsync(fingerprint));
        Assert.Empty(await t.Store.GetHistoryAsync(fingerprint, 10));
        Assert.Equal([NotificationStatus.Firing, NotificationStatus.Resolved], t.Sender.Sent.Select(s => s.Notification.Status));
    }
}
