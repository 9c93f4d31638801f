using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>Silences, maintenance windows and inhibition: muted alerts are stored but not notified.</summary>
public sealed class AlertMutingTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public async Task Nothing_is_notified_while_silenced_and_the_alert_is_notified_when_the_silence_ends()
    {
        await using var t = await AlertTimeline.StartAsync();
        var silence = await t.Silences.CreateAsync(new SilenceRequest(["domain=shop.test", "check=~spf|dkim"], null, AlertTimeline.T0 + M(30), "alice", "DNS migration"));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.AuditAsync("other.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(29));

        Assert.Equal([(S(30), NotificationStatus.Firing, "other.test/spf:firing")], t.Sender.Summary());
        var muted = Assert.Single(await t.Store.ListAsync(new AlertFilter(Muted: true)));
        Assert.Equal(($"silence:{silence.Id}", AlertState.Firing), (muted.MutedBy, muted.State));

        await t.RunUntilAsync(M(40));
        Assert.Equal((S(30) + M(30), "other.test/spf:firing shop.test/spf:firing"), (t.Sender.Summary()[^1].At, t.Sender.Summary()[^1].Alerts));
    }

    [Fact]
    public async Task A_fix_while_silenced_sends_no_resolve_until_the_silence_is_expired()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));
        var silence = await t.Silences.CreateAsync(new SilenceRequest(["alertname=CheckFailing"], null, AlertTimeline.T0 + TimeSpan.FromDays(1), "bob", "known"));
        await t.RunUntilAsync(M(2));
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Ok));
        await t.RunUntilAsync(M(30));
        Assert.Equal([(S(30), NotificationStatus.Firing, "shop.test/dkim:firing")], t.Sender.Summary());

        var expired = await t.Silences.ExpireAsync(silence.Id);
        await t.RunUntilAsync(M(40));

        Assert.Equal(AlertTimeline.T0 + M(30), expired!.EndsAt);
        Assert.Equal((S(30) + M(30), NotificationStatus.Resolved, "shop.test/dkim:resolved"), t.Sender.Summary()[^1]);
        Assert.Equal(2, t.Sender.Sent.Count);
        Assert.Empty(await t.Store.ListSilencesAsync(includeExpired: false));
        Assert.Single(await t.Store.ListSilencesAsync(includeExpired: true));
    }

    [Fact]
    public async Task A_silence_is_refused_with_the_reason_when_its_matcher_or_end_is_wrong()
    {
        await using var t = await AlertTimeline.StartAsync();

        var badMatcher = await Assert.ThrowsAsync<ArgumentException>(() => t.Silences.CreateAsync(new SilenceRequest(["domain"], null, AlertTimeline.T0 + M(5), "a", "c")));
        var badRegex = await Assert.ThrowsAsync<ArgumentException>(() => t.Silences.CreateAsync(new SilenceRequest(["domain=~(shop"], null, AlertTimeline.T0 + M(5), "a", "c")));
        var past = await Assert.ThrowsAsync<ArgumentException>(() => t.Silences.CreateAsync(new SilenceRequest(["domain=x"], null, AlertTimeline.T0 - M(5), "a", "c")));
        var none = await Assert.ThrowsAsync<ArgumentException>(() => t.Silences.CreateAsync(new SilenceRequest([], null, AlertTimeline.T0 + M(5), "a", "c")));

        Assert.Contains("'domain'", badMatcher.Message);
        Assert.Contains("(shop", badRegex.Message);
        Assert.StartsWith("endsAt", past.Message);
        Assert.StartsWith("matchers", none.Message);
        Assert.Empty(await t.Store.ListSilencesAsync(includeExpired: true));
    }

    [Fact]
    public async Task A_maintenance_window_mutes_its_alerts_while_it_is_open()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.MaintenanceWindows.Add(new MaintenanceWindowOptions
        {
            Name = "friday-dns",
            Matchers = ["check=dmarc"],
            Days = ["Friday"], // T0 is Friday 27 November 2026, 12:00 UTC
            StartTime = "11:30",
            Duration = M(60),
        }));
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error), ("mx", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(29));

        Assert.Equal([(S(30), NotificationStatus.Firing, "shop.test/mx:firing")], t.Sender.Summary());
        Assert.Equal("maintenance:friday-dns", Assert.Single(await t.Store.ListAsync(new AlertFilter(Muted: true))).MutedBy);

        // The window closes at 12:30: the dmarc alert joins the group's next flush.
        await t.RunUntilAsync(M(45));
        Assert.Equal((M(30) + S(30), "shop.test/dmarc:firing shop.test/mx:firing"), (t.Sender.Summary()[^1].At, t.Sender.Summary()[^1].Alerts));
    }

    [Fact]
    public async Task A_listed_ip_inhibits_the_placement_alerts_of_that_ip_only()
    {
        await using var t = await AlertTimeline.StartAsync();
        t.Signals.Current.Add(new BlacklistListingSignal("192.0.2.10", IsIp: true, "zen.spamhaus.org", AlertTimeline.T0, Domain: "shop.test", Meaning: "Spamhaus SBL"));
        t.Signals.Current.Add(new InboxRateSignal("gmail", 0.2, 20, AlertTimeline.T0, Domain: "shop.test", Ip: "192.0.2.10"));
        t.Signals.Current.Add(new InboxRateSignal("outlook", 0.5, 20, AlertTimeline.T0, Domain: "shop.test", Ip: "192.0.2.99"));
        t.Signals.Current.Add(new InboxRateSignal("yahoo", 0.95, 20, AlertTimeline.T0, Domain: "shop.test", Ip: "192.0.2.99"));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));

        Assert.Equal(
            [(S(30), NotificationStatus.Firing, "192.0.2.10:firing"), (S(30), NotificationStatus.Firing, "192.0.2.99:firing")],
            t.Sender.Summary());
        var inhibited = Assert.Single(await t.Store.ListAsync(new AlertFilter(Muted: true)));
        Assert.Equal(("inhibited", "InboxRateLow"), (inhibited.MutedBy, inhibited.AlertName));

        // Delisted: the placement alert of that IP is no longer muted and is notified at the group's next interval.
        t.Signals.Current.RemoveAt(0);
        await t.RunUntilAsync(M(20));
        Assert.Contains(t.Sender.Summary(), s => s.Alerts == "192.0.2.10:firing 192.0.2.99:firing" && s.Status == NotificationStatus.Firing);
    }

    [Fact]
    public async Task A_configured_inhibition_mutes_warnings_of_a_domain_with_a_critical_alert()
    {
        await using var t = await AlertTimeline.StartAsync(o => o.Inhibitions.Add(new InhibitionOptions
        {
            SourceMatchers = ["severity=critical"],
            TargetMatchers = ["severity=warning"],
            Equal = ["domain"],
        }));
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error), ("dmarc", CheckStatus.Warning));
        await t.AuditAsync("other.test", ("dmarc", CheckStatus.Warning));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(2));

        Assert.Equal([(S(30), NotificationStatus.Firing, "other.test/dmarc:firing shop.test/spf:firing")], t.Sender.Summary());
    }
}
