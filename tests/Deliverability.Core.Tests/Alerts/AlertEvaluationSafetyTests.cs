using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>
/// One bad stored silence, one failing rule or one failed write never stops the evaluation nor loses a change: the
/// other silences and rules still apply, and every alert notified is stored.
/// </summary>
public sealed class AlertEvaluationSafetyTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    [Fact]
    public async Task A_stored_silence_with_a_backtracking_regex_does_not_stop_a_dmarc_regression_from_being_raised_stored_and_notified()
    {
        await using var t = await AlertTimeline.StartAsync();
        // As an earlier release stored it: accepted at creation, then matched with backtracking at every evaluation.
        await StoreSilenceAsync(t, "hostile", "domain=~\"(.|.|.|.|.|.|.|.)*z\"");
        await t.AuditAsync("mail.shop.test", ("dmarc", CheckStatus.Ok));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));

        await t.AuditAsync("mail.shop.test", ("dmarc", CheckStatus.Error));
        await t.RunUntilAsync(M(3));

        var alert = Assert.Single(await t.Store.ListAsync(new AlertFilter(State: AlertState.Firing)));
        Assert.Equal(("mail.shop.test", "dmarc", null), (AlertJson.Map(alert.LabelsJson)["domain"], AlertJson.Map(alert.LabelsJson)["check"], alert.MutedBy));
        Assert.Equal([(M(1) + S(45), NotificationStatus.Firing, "mail.shop.test/dmarc:firing")], t.Sender.Summary());
    }

    [Fact]
    public async Task A_stored_silence_that_is_refused_today_is_skipped_and_logged_once_and_the_other_silences_still_apply()
    {
        await using var t = await AlertTimeline.StartAsync();
        await StoreSilenceAsync(t, "lookahead", "check=~\"(?!spf).*\"");
        await StoreSilenceAsync(t, "dkim", "check=\"dkim\"");
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error), ("dmarc", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(5));

        Assert.Equal([(S(30), NotificationStatus.Firing, "shop.test/dmarc:firing")], t.Sender.Summary());
        var dkim = Assert.Single(await t.Store.ListAsync(new AlertFilter(Muted: true)));
        Assert.Equal("silence:dkim", dkim.MutedBy);
        var warning = Assert.Single(t.Logs.Entries, e => e.Message.StartsWith("Silence lookahead is not applied", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("negative lookahead", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_fails_on_a_bad_stored_drift_is_skipped_and_logged_once_and_the_other_rules_still_alert()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"), AlertTimeline.Result("dmarc", CheckStatus.Ok, "v=DMARC1; p=reject"));
        await t.EvaluateAsync();
        await using (var db = await t.Contexts.CreateDbContextAsync())
        {
            // Records before a drift the record-drift rule cannot read (written by hand, or by an earlier release's bug).
            var spf = await db.CheckStates.SingleAsync(o => o.Check == "spf");
            spf.DriftAt = t.Time.GetUtcNow();
            spf.DriftPreviousJson = "{not json";
            await db.SaveChangesAsync();
        }

        t.Restart();
        await t.RunUntilAsync(M(1));
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"), AlertTimeline.Result("dmarc", CheckStatus.Error, "v=DMARC1; p=none"));
        await t.RunUntilAsync(M(5));

        Assert.Equal([(M(1) + S(45), NotificationStatus.Firing, "shop.test/dmarc:firing")], t.Sender.Summary());
        var error = Assert.Single(t.Logs.Entries, e => e.Message.StartsWith("Alert rule DnsRecordChanged failed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, error.Level);
    }

    [Fact]
    public async Task An_evaluation_whose_store_fails_loses_nothing_and_the_next_one_stores_the_alert_before_notifying_it()
    {
        await using var t = await AlertTimeline.StartAsync();
        await t.AuditAsync("shop.test", ("dmarc", CheckStatus.Error));
        await SqlAsync(t, "ALTER TABLE alert_history RENAME TO alert_history_away");

        await Assert.ThrowsAnyAsync<DbUpdateException>(t.EvaluateAsync);

        await SqlAsync(t, "ALTER TABLE alert_history_away RENAME TO alert_history");
        await t.RunUntilAsync(M(2));
        var alert = Assert.Single(await t.Store.ListAsync(new AlertFilter()));
        Assert.Equal(AlertState.Firing, alert.State);
        // Stored by the evaluation at 15 s, notified after the group wait.
        Assert.Equal([(S(45), NotificationStatus.Firing, "shop.test/dmarc:firing")], t.Sender.Summary());
        Assert.Equal([(null, AlertState.Firing)], (await t.Store.GetHistoryAsync(alert.Fingerprint, 10)).Select(h => (h.FromState, h.ToState)));
    }

    private static async Task StoreSilenceAsync(AlertTimeline t, string id, params string[] matchers)
    {
        await using var db = await t.Contexts.CreateDbContextAsync();
        db.Add(new SilenceRow
        {
            Id = id,
            MatchersJson = AlertJson.Write(matchers),
            StartsAt = AlertTimeline.T0,
            EndsAt = AlertTimeline.T0 + TimeSpan.FromDays(1),
            CreatedBy = "alice",
            Comment = "stored by an earlier release",
            CreatedAt = AlertTimeline.T0,
            UpdatedAt = AlertTimeline.T0,
        });
        await db.SaveChangesAsync();
    }

    private static async Task SqlAsync(AlertTimeline t, string sql)
    {
        await using var db = await t.Contexts.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
