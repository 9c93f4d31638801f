using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>The <c>notification_attempts</c> table on each provider: newest first, per receiver, bounded.</summary>
public abstract class NotificationAttemptStoreTests : StoreFixture
{
    private NotificationAttemptStore Attempts(int kept = 1000) =>
        new(Contexts, Options.Create(new AlertReceiversOptions { Delivery = new DeliveryOptions { AttemptsKept = kept } }));

    private NotificationAttemptRow Row(string receiver, int attempt, string result = "delivered") => new()
    {
        Receiver = receiver,
        ReceiverType = "webhook",
        GroupKey = "{}:{alertname=\"DkimKeyMissing\"}",
        Status = "firing",
        Attempt = attempt,
        Result = result,
        StatusCode = result == "delivered" ? 200 : 503,
        Error = result == "delivered" ? null : "HTTP 503",
        DurationMs = 12.5,
        NextDelayMs = result == "retrying" ? 900 : null,
        At = Time.GetUtcNow(),
    };

    [Fact]
    public async Task Attempts_are_read_back_newest_first_with_every_field()
    {
        var store = Attempts();
        await store.AddAsync(Row("ops", 1, "retrying"));
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.AddAsync(Row("ops", 2));

        var rows = await store.GetRecentAsync(null, 10);

        Assert.Equal([2, 1], rows.Select(r => r.Attempt));
        var retry = rows[1];
        Assert.Equal(("ops", "webhook", "firing", "retrying", 503, "HTTP 503", 12.5, 900.0), (retry.Receiver, retry.ReceiverType, retry.Status, retry.Result, retry.StatusCode!.Value, retry.Error, retry.DurationMs, retry.NextDelayMs!.Value));
        Assert.Equal(Time.GetUtcNow().AddSeconds(-1), retry.At);
    }

    [Fact]
    public async Task Attempts_are_filtered_by_receiver_and_limited()
    {
        var store = Attempts();
        for (var i = 1; i <= 5; i++)
        {
            await store.AddAsync(Row(i % 2 == 0 ? "even" : "odd", i));
        }

        Assert.Equal([4, 2], (await store.GetRecentAsync("even", 10)).Select(r => r.Attempt));
        Assert.Equal([5, 4], (await store.GetRecentAsync(null, 2)).Select(r => r.Attempt));
    }

    [Fact]
    public async Task Old_attempts_beyond_the_kept_count_are_removed()
    {
        var store = Attempts(kept: 10);
        for (var i = 1; i <= 120; i++)
        {
            await store.AddAsync(Row("ops", i));
        }

        var rows = await store.GetRecentAsync(null, 1000);

        // Pruned every 50 rows: after row 100 only rows 91-100 were left, then 101-120 were added.
        Assert.Equal(Enumerable.Range(91, 30).Reverse(), rows.Select(r => r.Attempt));
    }
}

public sealed class SqliteNotificationAttemptStoreTests : NotificationAttemptStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresNotificationAttemptStoreTests(PostgresFixture postgres) : NotificationAttemptStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "attempts_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
