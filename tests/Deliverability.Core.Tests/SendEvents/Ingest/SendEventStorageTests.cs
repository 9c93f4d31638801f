using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.Privacy;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.SendEvents.Ingest;

/// <summary>The group-commit writer, de-duplication, erasure and retention on SQLite and PostgreSQL alike.</summary>
public abstract class SendEventStorageTests : StoreFixture
{
    private static readonly RecipientIdentity Identity = new("storage-test-key-0123456789", keepAddresses: false);

    [Fact]
    public async Task A_batch_with_duplicates_inside_and_already_stored_keeps_one_of_each_and_stores_the_rest()
    {
        var (writer, stop) = StartWriter();
        var first = await writer.WriteAsync([Row("a"), Row("b")], CancellationToken.None);
        var second = await writer.WriteAsync([Row("b"), Row("c"), Row("c"), Row("d"), Row("a", source: "other-source")], CancellationToken.None);
        await stop();

        Assert.Equal((2, 3), (first, second));
        await using var db = await Contexts.CreateDbContextAsync();
        var stored = await db.Set<SendEventRow>().OrderBy(r => r.Id).Select(r => r.Source + "/" + r.ProviderEventId).ToListAsync();
        Assert.Equal(["hooks/a", "hooks/b", "hooks/c", "hooks/d", "other-source/a"], stored);
    }

    [Fact]
    public async Task Many_concurrent_requests_are_each_answered_after_their_rows_are_committed()
    {
        var (writer, stop) = StartWriter();
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(() => writer.WriteAsync([.. Enumerable.Range(0, 20).Select(j => Row($"{i}-{j}"))], CancellationToken.None)));
        var stored = await Task.WhenAll(writes);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            // Every request that was answered is in the database already, before the writer stops.
            Assert.Equal(4000, await db.Set<SendEventRow>().CountAsync());
        }

        await stop();
        Assert.All(stored, s => Assert.Equal(20, s));
    }

    [Fact]
    public async Task Stored_rows_keep_their_values_and_times_in_utc()
    {
        var (writer, stop) = StartWriter();
        var at = new DateTimeOffset(2026, 11, 27, 10, 30, 15, 250, TimeSpan.FromHours(2));
        var row = Row("full", at);
        row.SmtpCode = 550;
        row.EnhancedStatus = "5.7.1";
        row.Diagnostic = "550 5.7.1 blocked";
        row.DeliveryLatencyMs = 1234;
        row.Critical = true;
        await writer.WriteAsync([row], CancellationToken.None);
        await stop();

        await using var db = await Contexts.CreateDbContextAsync();
        var read = await db.Set<SendEventRow>().SingleAsync();
        Assert.Equal((SendEventKind.Blocked, 550, "5.7.1", 1234L, true), (read.Kind, read.SmtpCode, read.EnhancedStatus, read.DeliveryLatencyMs, read.Critical));
        Assert.Equal(at.UtcDateTime, read.OccurredAt.UtcDateTime);
        Assert.Equal(Time.GetUtcNow(), read.ReceivedAt);
        Assert.Null(read.ProcessedAt);
        Assert.Equal(1, await db.Set<SendEventRow>().CountAsync(r => r.ProcessedAt == null && r.OccurredAt > Time.GetUtcNow()));
    }

    [Fact]
    public async Task Erasure_deletes_one_recipients_events_and_retention_deletes_old_ones()
    {
        var (writer, stop) = StartWriter();
        var alice = Row("alice-1");
        alice.RecipientHash = Identity.Stored("Alice@Example.com");
        var alice2 = Row("alice-2");
        alice2.RecipientHash = Identity.Stored("alice@example.com");
        var bob = Row("bob-1");
        bob.RecipientHash = Identity.Stored("bob@example.com");
        await writer.WriteAsync([alice, alice2, bob], CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(31));
        await writer.WriteAsync([Row("recent")], CancellationToken.None);
        await stop();
        var store = new SendEventStore(Contexts, Time);

        Assert.Equal(new RecipientErasure(2, 0), await store.EraseRecipientAsync(Identity, "ALICE@example.com", CancellationToken.None));
        Assert.Equal(1, await store.DeleteExpiredAsync(30, CancellationToken.None));

        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal("recent", (await db.Set<SendEventRow>().SingleAsync()).ProviderEventId);
    }

    [Fact]
    public async Task Retention_deletes_every_event_when_none_is_recent_and_keeps_every_one_when_none_expired()
    {
        var (writer, stop) = StartWriter();
        await writer.WriteAsync([Row("day-1a"), Row("day-1b")], CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1));
        await writer.WriteAsync([Row("day-2")], CancellationToken.None);
        await stop();
        var store = new SendEventStore(Contexts, Time);

        Assert.Equal(0, await store.DeleteExpiredAsync(30, CancellationToken.None));
        Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(3, await store.DeleteExpiredAsync(30, CancellationToken.None));

        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Set<SendEventRow>().CountAsync());
    }

    private (SendEventWriter Writer, Func<Task> Stop) StartWriter()
    {
        var writer = new SendEventWriter(Contexts, Time, new SendEventArrivals(), NullLogger<SendEventWriter>.Instance);
        var cancel = new CancellationTokenSource();
        var loop = writer.RunAsync(cancel.Token);
        return (writer, async () =>
        {
            await cancel.CancelAsync();
            await loop;
            cancel.Dispose();
        });
    }

    private static SendEventRow Row(string id, DateTimeOffset? at = null, string source = "hooks") => new()
    {
        Provider = "generic",
        Source = source,
        ProviderEventId = id,
        Stream = "default",
        Kind = SendEventKind.Blocked,
        OccurredAt = at ?? new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        RecipientDomain = "example.com",
    };
}

public sealed class SqliteSendEventStorageTests : SendEventStorageTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresSendEventStorageTests(PostgresFixture postgres) : SendEventStorageTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "send_events_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
