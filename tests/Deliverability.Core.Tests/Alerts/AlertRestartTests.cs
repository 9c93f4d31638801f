using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>A restart resumes the lifecycle from the database without resending; on each provider.</summary>
public abstract class AlertRestartTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    protected abstract Task<AlertTimeline> StartAsync(Action<AlertOptions>? configure = null);

    [Fact]
    public async Task A_restart_sends_nothing_already_sent_and_keeps_the_repeat_and_resolve_on_schedule()
    {
        await using var t = await StartAsync(o => o.Route.RepeatInterval = TimeSpan.FromHours(1));
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(10));
        Assert.Single(t.Sender.Sent);

        t.Restart();
        await t.RunUntilAsync(M(50));
        Assert.Single(t.Sender.Sent);

        t.Restart();
        await t.RunUntilAsync(M(61));
        await t.AuditAsync("shop.test", ("dkim", CheckStatus.Ok));
        t.Restart();
        await t.RunUntilAsync(M(90));

        Assert.Equal(
            [(S(30), NotificationStatus.Firing), (S(30) + M(60), NotificationStatus.Firing), (S(30) + M(65), NotificationStatus.Resolved)],
            t.Sender.Sent.Select(s => (s.At, s.Notification.Status)));
    }

    [Fact]
    public async Task A_restart_resumes_pending_for_timers_and_group_wait_from_when_they_started()
    {
        await using var t = await StartAsync(o =>
        {
            o.Rules.CheckStatus.For = M(2);
            o.Route.GroupWait = M(1);
        });
        await t.AuditAsync("shop.test", ("spf", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.RunUntilAsync(M(1));
        t.Restart();
        await t.RunUntilAsync(M(2) + S(30));
        t.Restart();
        await t.RunUntilAsync(M(10));

        Assert.Equal([(M(3), NotificationStatus.Firing, "shop.test/spf:firing")], t.Sender.Summary());
        Assert.Single(await t.Store.GetHistoryAsync(t.Sender.Sent[0].Notification.Alerts[0].Fingerprint, 10), h => h.ToState == AlertState.Firing);
    }

    [Fact]
    public async Task A_restart_keeps_silences_acknowledgements_and_drift_baselines()
    {
        await using var t = await StartAsync();
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"), AlertTimeline.Result("mx", CheckStatus.Error));
        await t.EvaluateAsync();
        await t.Silences.CreateAsync(new SilenceRequest(["check=mx"], null, AlertTimeline.T0 + TimeSpan.FromHours(2), "alice", "moving MX"));
        var mx = Assert.Single(await t.Store.ListAsync(new AlertFilter()));
        await t.Acknowledgements.AcknowledgeAsync(mx.Fingerprint, "alice");

        t.Restart();
        await t.AuditAsync("shop.test", AlertTimeline.Result("spf", CheckStatus.Ok, "v=spf1 -all"), AlertTimeline.Result("mx", CheckStatus.Error));
        await t.RunUntilAsync(M(30));

        Assert.Empty(t.Sender.Sent);
        Assert.Equal("alice", (await t.Store.GetAsync(mx.Fingerprint))!.AcknowledgedBy);
    }
}

public sealed class SqliteAlertRestartTests : AlertRestartTests
{
    protected override Task<AlertTimeline> StartAsync(Action<AlertOptions>? configure = null) => AlertTimeline.StartAsync(configure);
}

public sealed class PostgresAlertRestartTests(PostgresFixture postgres) : AlertRestartTests, IClassFixture<PostgresFixture>
{
    protected override Task<AlertTimeline> StartAsync(Action<AlertOptions>? configure = null) =>
        AlertTimeline.StartAsync(StorageProvider.Postgres, postgres.Server.ConnectionString("alerts_" + Guid.NewGuid().ToString("N")), configure);
}
