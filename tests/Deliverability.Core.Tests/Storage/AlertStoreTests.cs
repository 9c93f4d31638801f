using Deliverability.Core.Alerts;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Storage;

/// <summary>How the alert store orders and limits its lists, on each provider (the subclasses below).</summary>
public abstract class AlertStoreTests : StoreFixture
{
    private AlertStore Alerts => new(Contexts, Time);

    [Fact]
    public async Task A_limited_list_of_resolved_alerts_is_the_most_recently_resolved_newest_first()
    {
        var start = Time.GetUtcNow();
        // Stored in a shuffled order, resolved one minute apart; some updated after they resolved (an acknowledgement).
        var resolvedMinutes = Enumerable.Range(0, 120).OrderBy(i => (i * 37) % 120).ToArray();
        await StoreAsync(resolvedMinutes.Select(m => Row($"r{m:000}", AlertState.Resolved, updatedAt: start.AddMinutes(m % 7 == 0 ? 500 : m), endsAt: start.AddMinutes(m))));
        await StoreAsync([Row("active", AlertState.Firing, updatedAt: start.AddMinutes(1000))]);

        var newest = await Alerts.ListAsync(new AlertFilter(State: AlertState.Resolved, Limit: 50));

        Assert.Equal(Enumerable.Range(70, 50).Reverse().Select(m => $"r{m:000}"), newest.Select(a => a.Fingerprint));
        Assert.Equal(120, await Alerts.CountAsync(new AlertFilter(State: AlertState.Resolved, Limit: 50)));
    }

    [Fact]
    public async Task Active_alerts_list_firing_before_pending_each_most_recently_changed_first()
    {
        var start = Time.GetUtcNow();
        await StoreAsync([
            Row("pending-new", AlertState.Pending, updatedAt: start.AddMinutes(9)),
            Row("firing-old", AlertState.Firing, updatedAt: start.AddMinutes(1)),
            Row("resolved", AlertState.Resolved, updatedAt: start.AddMinutes(10), endsAt: start.AddMinutes(10)),
            Row("firing-new", AlertState.Firing, updatedAt: start.AddMinutes(5)),
            Row("pending-old", AlertState.Pending, updatedAt: start.AddMinutes(2)),
        ]);

        var all = await Alerts.ListAsync(new AlertFilter());
        var firstThree = await Alerts.ListAsync(new AlertFilter(Limit: 3));

        Assert.Equal(["firing-new", "firing-old", "pending-new", "pending-old"], all.Select(a => a.Fingerprint));
        Assert.Equal(["firing-new", "firing-old", "pending-new"], firstThree.Select(a => a.Fingerprint));
        Assert.Equal(4, await Alerts.CountAsync(new AlertFilter(Limit: 3)));
        Assert.Equal(["firing-new", "firing-old", "pending-new", "pending-old", "resolved"], (await Alerts.ListAsync(new AlertFilter(IncludeResolved: true))).Select(a => a.Fingerprint));
    }

    [Fact]
    public async Task A_limit_with_label_matchers_applies_to_the_matching_alerts()
    {
        var start = Time.GetUtcNow();
        await StoreAsync(Enumerable.Range(0, 30).Select(i => Row($"a{i:00}", AlertState.Firing, updatedAt: start.AddMinutes(i), domain: i % 3 == 0 ? "shop.example" : "other.example")));
        var shop = new AlertFilter(Matchers: [AlertMatcher.Parse("domain=shop.example")], Limit: 4);

        var listed = await Alerts.ListAsync(shop);

        Assert.Equal(["a27", "a24", "a21", "a18"], listed.Select(a => a.Fingerprint));
        Assert.Equal(10, await Alerts.CountAsync(shop));
    }

    [Fact]
    public async Task A_negative_limit_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Alerts.ListAsync(new AlertFilter(Limit: -1)));
        Assert.Contains("Limit", error.Message, StringComparison.Ordinal);
    }

    private static AlertRow Row(string fingerprint, AlertState state, DateTimeOffset updatedAt, DateTimeOffset? endsAt = null, string domain = "shop.example") => new()
    {
        Fingerprint = fingerprint,
        AlertName = "CheckFailing",
        State = state,
        Severity = "critical",
        LabelsJson = AlertJson.Write(new Dictionary<string, string> { ["alertname"] = "CheckFailing", ["domain"] = domain }),
        AnnotationsJson = "{}",
        ActiveSince = updatedAt.AddMinutes(-30),
        StartsAt = updatedAt.AddMinutes(-30),
        EndsAt = endsAt,
        UpdatedAt = updatedAt,
    };

    private async Task StoreAsync(IEnumerable<AlertRow> rows)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        db.Set<AlertRow>().AddRange(rows);
        await db.SaveChangesAsync();
    }
}

public sealed class SqliteAlertStoreTests : AlertStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresAlertStoreTests(PostgresFixture postgres) : AlertStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "alertstore_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
