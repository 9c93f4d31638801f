using Deliverability.Core.Alerts;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Alerts;
using static Deliverability.Core.Tests.SendEvents.Sending.SendEventSamples;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>The sending alert rules on a fixed timeline (a fake clock), from stored events through the real alert engine.</summary>
public sealed class SendingAlertRulesTests
{
    private static readonly DateTimeOffset T0 = SendingTimeline.T0;

    [Fact]
    public async Task A_spike_of_blocks_at_one_mailbox_provider_raises_one_block_rate_alert_and_its_throttling_code_then_both_resolve()
    {
        await using var timeline = await SendingTimeline.StartAsync();
        // Steady marketing to Gmail and Yahoo from 30 minutes before; at T0+2m Yahoo blocks 60 messages with TSS09.
        await timeline.StoreAsync(Steady("marketing", ["gmail.com", "yahoo.com"], 10, T0.AddMinutes(-30), T0.AddMinutes(40)));
        await timeline.StoreAsync(Many(60, T0.AddMinutes(2), (_, at) => Event(at, SendEventKind.Blocked, "yahoo.com", "marketing", status: "5.7.2",
            diagnostic: "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed.")));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(2));
        var before = timeline.Sender.Sent.Count;
        await timeline.RunUntilAsync(TimeSpan.FromMinutes(40));

        Assert.Equal(0, before);
        var rate = timeline.Notified(SendRateRule.Name);
        Assert.Equal(2, rate.Count);
        var (firedAt, _, fired) = Assert.Single(rate, n => n.Status == NotificationStatus.Firing);
        Assert.Equal(("critical", "yahoo", "block"), (fired.Labels[AlertLabels.Severity], fired.Labels[SendingAlertLabels.MailboxProvider], fired.Labels[SendingAlertLabels.Rate]));
        Assert.Equal("Block rate at yahoo is 28.6% (over 5.0%)", fired.Annotations[AlertLabels.Summary]);
        Assert.InRange(firedAt, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)); // the 30 s group wait after the spike's minute
        var (resolvedAt, _, _) = Assert.Single(rate, n => n.Status == NotificationStatus.Resolved);
        Assert.InRange(resolvedAt, TimeSpan.FromMinutes(17), TimeSpan.FromMinutes(23)); // the 15-minute window passed (plus the group interval)

        var throttling = Assert.Single(timeline.Notified(ThrottlingRule.Name), n => n.Status == NotificationStatus.Firing).Alert;
        Assert.Equal(("critical", "yahoo", "yahoo-tss09"), (throttling.Labels[AlertLabels.Severity], throttling.Labels[SendingAlertLabels.MailboxProvider], throttling.Labels[SendingAlertLabels.Code]));
        Assert.Contains("retrying will not succeed", throttling.Annotations[AlertLabels.Description], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sender support", throttling.Annotations[AlertLabels.Fix], StringComparison.Ordinal);
        Assert.DoesNotContain(timeline.Notified(SendRateRule.Name), n => n.Alert.Labels[SendingAlertLabels.MailboxProvider] == "gmail");
    }

    [Fact]
    public async Task Rates_under_the_minimum_number_of_events_do_not_alert()
    {
        await using var timeline = await SendingTimeline.StartAsync(o => o.MinEvents = 500);
        await timeline.StoreAsync(Steady("marketing", ["yahoo.com"], 10, T0.AddMinutes(-30), T0.AddMinutes(10)));
        await timeline.StoreAsync(Many(60, T0.AddMinutes(2), (_, at) => Event(at, SendEventKind.Blocked, "yahoo.com", "marketing")));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(10));

        Assert.Empty(timeline.Notified(SendRateRule.Name));
    }

    [Fact]
    public async Task A_complaint_rate_warns_over_0_1_percent_and_is_critical_over_0_3_percent()
    {
        await using var timeline = await SendingTimeline.StartAsync();
        await timeline.StoreAsync(Steady("marketing", ["gmail.com", "outlook.com"], 100, T0.AddMinutes(-30), T0));
        // 3,000 delivered at each: Outlook gets 6 complaints (0.2 %), Gmail 12 (0.4 %).
        await timeline.StoreAsync(Many(6, T0.AddMinutes(-5), (_, at) => Event(at, SendEventKind.Complaint, "outlook.com", "marketing")));
        await timeline.StoreAsync(Many(12, T0.AddMinutes(-5), (_, at) => Event(at, SendEventKind.Complaint, "gmail.com", "marketing")));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(1));

        var fired = timeline.Notified(SendRateRule.Name).Where(n => n.Status == NotificationStatus.Firing).Select(n => n.Alert)
            .ToDictionary(a => a.Labels[SendingAlertLabels.MailboxProvider], a => (a.Labels[SendingAlertLabels.Rate], a.Labels[AlertLabels.Severity]));
        Assert.Equal(("complaint", "warning"), fired["outlook"]);
        Assert.Equal(("complaint", "critical"), fired["gmail"]);
    }

    [Fact]
    public async Task A_failed_critical_message_alerts_at_once_with_its_reply_and_resolves_after_the_critical_window()
    {
        await using var timeline = await SendingTimeline.StartAsync(o => o.CriticalWindow = TimeSpan.FromMinutes(10));
        await timeline.StoreAsync(Steady("transactional", ["gmail.com"], 5, T0.AddMinutes(-5), T0.AddMinutes(20)));
        await timeline.StoreAsync([Event(T0.AddMinutes(1).AddSeconds(10), SendEventKind.HardBounce, "gmail.com", "transactional", critical: true, status: "5.1.1",
            diagnostic: "550-5.1.1 The email account that you tried to reach does not exist.")]);
        // A critical message that was delivered, and a bulk one that bounced, raise nothing.
        await timeline.StoreAsync([Event(T0.AddMinutes(1), SendEventKind.Delivered, "gmail.com", "transactional", critical: true), Event(T0.AddMinutes(1), SendEventKind.HardBounce, "gmail.com", "marketing")]);

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(20));

        var notified = timeline.Notified(CriticalMessageRule.Name);
        var (firedAt, _, alert) = Assert.Single(notified, n => n.Status == NotificationStatus.Firing);
        Assert.InRange(firedAt, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        Assert.Equal(("critical", "transactional", "gmail"), (alert.Labels[AlertLabels.Severity], alert.Labels[SendingAlertLabels.Stream], alert.Labels[SendingAlertLabels.MailboxProvider]));
        Assert.Contains("HardBounce", alert.Annotations[AlertLabels.Description], StringComparison.Ordinal);
        Assert.Contains("does not exist", alert.Annotations[AlertLabels.Description], StringComparison.Ordinal);
        var (resolvedAt, _, _) = Assert.Single(notified, n => n.Status == NotificationStatus.Resolved);
        Assert.InRange(resolvedAt, TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(17));
    }

    [Fact]
    public async Task Slow_transactional_delivery_alerts_and_slow_bulk_delivery_does_not()
    {
        await using var timeline = await SendingTimeline.StartAsync(o => o.MinLatencySamples = 20);
        await timeline.StoreAsync(Steady("transactional", ["gmail.com"], 5, T0.AddMinutes(-20), T0.AddMinutes(10), latencyMs: 4_000));
        await timeline.StoreAsync(Steady("marketing", ["gmail.com"], 5, T0.AddMinutes(-20), T0.AddMinutes(10), latencyMs: 3_000_000));
        // From T0+2m, half the transactional messages take 4 minutes.
        await timeline.StoreAsync(Steady("transactional", ["yahoo.com"], 5, T0.AddMinutes(2), T0.AddMinutes(10), latencyMs: 240_000));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(10));

        var alert = Assert.Single(timeline.Notified(SendLatencyRule.Name), n => n.Status == NotificationStatus.Firing).Alert;
        Assert.Equal(("warning", "transactional"), (alert.Labels[AlertLabels.Severity], alert.Labels[SendingAlertLabels.Stream]));
        Assert.StartsWith("Delivery of transactional is slow: p95 ", alert.Annotations[AlertLabels.Summary], StringComparison.Ordinal);
        Assert.DoesNotContain(timeline.Notified(SendLatencyRule.Name), n => n.Alert.Labels[SendingAlertLabels.Stream] == "marketing");
    }

    [Fact]
    public async Task A_stream_below_last_weeks_volume_warns_and_one_that_stopped_is_critical()
    {
        await using var timeline = await SendingTimeline.StartAsync();
        var week = TimeSpan.FromDays(7);
        await timeline.StoreAsync(Steady("marketing", ["gmail.com"], 20, T0 - week - TimeSpan.FromHours(1), T0 - week + TimeSpan.FromHours(2)));
        // This week marketing sends as much until T0, a quarter as much until T0+20m, then nothing.
        await timeline.StoreAsync(Steady("marketing", ["gmail.com"], 20, T0.AddHours(-1), T0));
        await timeline.StoreAsync(Steady("marketing", ["gmail.com"], 5, T0, T0.AddMinutes(20)));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(60));

        var notified = timeline.Notified(SendVolumeRule.Name).Where(n => n.Status == NotificationStatus.Firing).ToList();
        Assert.Equal(["warning", "critical"], notified.Select(n => n.Alert.Labels[AlertLabels.Severity]));
        Assert.All(notified, n => Assert.Equal("marketing", n.Alert.Labels[SendingAlertLabels.Stream]));
        // Low once under half of last week's volume in the 30-minute window (which ends 2 minutes back), stopped once the window is empty.
        Assert.InRange(notified[0].At, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(25));
        Assert.InRange(notified[1].At, TimeSpan.FromMinutes(51), TimeSpan.FromMinutes(55));
        Assert.Contains("(last week)", notified[0].Alert.Annotations[AlertLabels.Description], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_forecast_is_the_expectation_instead_of_last_week()
    {
        // Last week was quiet; the forecast says 1,200 an hour (20 a minute): 5 a minute is low against it.
        await using var timeline = await SendingTimeline.StartAsync(forecasts: new HourlyForecast("marketing", 1200));
        await timeline.StoreAsync(Steady("marketing", ["gmail.com"], 5, T0.AddHours(-1), T0.AddMinutes(30)));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(2));

        var alert = Assert.Single(timeline.Notified(SendVolumeRule.Name)).Alert;
        Assert.Equal("warning", alert.Labels[AlertLabels.Severity]);
        Assert.Contains("600 expected (forecast)", alert.Annotations[AlertLabels.Description], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_with_for_is_pending_before_it_fires()
    {
        await using var timeline = await SendingTimeline.StartAsync(alerts: a => a.Rules.SendRate.For = TimeSpan.FromMinutes(5));
        await timeline.StoreAsync(Steady("marketing", ["yahoo.com"], 10, T0.AddMinutes(-30), T0.AddMinutes(20)));
        await timeline.StoreAsync(Many(60, T0.AddMinutes(1), (_, at) => Event(at, SendEventKind.Blocked, "yahoo.com", "marketing")));

        await timeline.RunUntilAsync(TimeSpan.FromMinutes(12));

        var (firedAt, _, _) = Assert.Single(timeline.Notified(SendRateRule.Name), n => n.Status == NotificationStatus.Firing);
        Assert.InRange(firedAt, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
    }

    /// <summary><paramref name="perMinute"/> delivered events a minute to each domain, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static IEnumerable<SendEventRow> Steady(string stream, string[] domains, int perMinute, DateTimeOffset from, DateTimeOffset to, long? latencyMs = null)
    {
        for (var minute = from; minute < to; minute = minute.AddMinutes(1))
        {
            foreach (var domain in domains)
            {
                foreach (var e in Many(perMinute, minute, (_, at) => Event(at, SendEventKind.Delivered, domain, stream, latencyMs: latencyMs)))
                {
                    yield return e;
                }
            }
        }
    }

    private sealed class HourlyForecast(string stream, double perHour) : ISendVolumeForecasts
    {
        public Task<double?> ExpectedAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            Task.FromResult<double?>(name == stream ? perHour * (to - from).TotalHours : null);
    }
}
