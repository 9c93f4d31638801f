using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.SendEvents.Throttling;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Postgres;
using static Deliverability.Core.Tests.SendEvents.Sending.SendEventSamples;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>Stored send events rolled up per minute: each counted once, in one transaction with its processed mark.</summary>
public abstract class SendEventProcessorTests : StoreFixture
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 27, 14, 5, 0, TimeSpan.Zero);

    private readonly TestMailboxProviders _classifier = new();

    private SendEventProcessor Processor => new(Contexts, _classifier, Time);

    private SendRollupReader Reader => new(Contexts);

    [Fact]
    public async Task Events_are_counted_once_per_minute_stream_provider_sending_domain_and_mailbox_provider()
    {
        await StoreAsync(Contexts,
        [
            Event(Minute.AddSeconds(1), SendEventKind.Delivered, "gmail.com", latencyMs: 800),
            Event(Minute.AddSeconds(2), SendEventKind.Delivered, "googlemail.com", latencyMs: 1200),
            Event(Minute.AddSeconds(3), SendEventKind.HardBounce, "gmail.com", status: "5.1.1"),
            Event(Minute.AddSeconds(4), SendEventKind.Blocked, "yahoo.com", status: "5.7.2", diagnostic: "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred"),
            Event(Minute.AddSeconds(70), SendEventKind.Delivered, "yahoo.com", stream: "marketing", provider: "mailgun"),
            Event(Minute.AddSeconds(71), SendEventKind.Complaint, "hotmail.com", stream: "marketing", provider: "mailgun", sendingDomain: null),
        ]);

        var first = await Processor.ProcessBatchAsync(100);
        var again = await Processor.ProcessBatchAsync(100);

        Assert.Equal(6, first.Events);
        Assert.Equal([SendMinute.Of(Minute), SendMinute.Of(Minute) + 1], first.Minutes);
        Assert.Equal(0, again.Events);
        await using var db = await Contexts.CreateDbContextAsync();
        var rows = await db.Set<SendRollupRow>().OrderBy(r => r.Minute).ThenBy(r => r.MailboxProvider).ToListAsync();
        Assert.Equal(
            [
                (SendMinute.Of(Minute), "transactional", "sendgrid", "shop.example", "gmail", 2L, 1L, 0L, 0L),
                (SendMinute.Of(Minute), "transactional", "sendgrid", "shop.example", "yahoo", 0L, 0L, 1L, 0L),
                (SendMinute.Of(Minute) + 1, "marketing", "mailgun", "", "outlook", 0L, 0L, 0L, 1L),
                (SendMinute.Of(Minute) + 1, "marketing", "mailgun", "shop.example", "yahoo", 1L, 0L, 0L, 0L),
            ],
            rows.Select(r => (r.Minute, r.Stream, r.Provider, r.SendingDomain, r.MailboxProvider, r.Delivered, r.HardBounces, r.Blocked, r.Complaints)));
        Assert.Equal(2, rows[0].Latency.Sum());
        var events = await db.Set<SendEventRow>().AsNoTracking().ToListAsync();
        Assert.All(events, e => Assert.NotNull(e.ProcessedAt));
        Assert.Equal(["gmail", "gmail", "gmail", "outlook", "yahoo", "yahoo"], events.Select(e => e.MailboxProvider!).Order(StringComparer.Ordinal));
        var throttling = Assert.Single(await db.Set<ThrottlingRollupRow>().ToListAsync());
        Assert.Equal(("yahoo", "yahoo-tss09", 1L), (throttling.MailboxProvider, throttling.Code, throttling.Count));
    }

    [Fact]
    public async Task Batches_add_to_the_rollups_of_earlier_batches()
    {
        await StoreAsync(Contexts, Many(50, Minute, (i, at) => Event(at, i % 10 == 0 ? SendEventKind.Blocked : SendEventKind.Delivered, "outlook.com")));

        while ((await Processor.ProcessBatchAsync(7)).Events > 0)
        {
        }

        var totals = await Reader.TotalAsync(Minute, Minute.AddMinutes(1), SendFilter.All);
        Assert.Equal((45L, 5L, 0.1), (totals.Delivered, totals.Blocked, totals.BlockRate));
    }

    [Fact]
    public async Task The_classifier_is_asked_once_per_domain_of_a_batch_and_a_known_mailbox_provider_is_kept()
    {
        var known = Event(Minute, SendEventKind.Delivered, "mail.shop-customer.example");
        known.MailboxProvider = "outlook";
        var noDomain = Event(Minute, SendEventKind.Delivered);
        noDomain.RecipientDomain = null;
        await StoreAsync(Contexts, [.. Many(20, Minute, (_, at) => Event(at, SendEventKind.Delivered, "gmail.com")), known, noDomain]);

        await Processor.ProcessBatchAsync(100);

        Assert.Equal(1, _classifier.Calls);
        var byProvider = await Reader.ByStreamAndProviderAsync(Minute, Minute.AddMinutes(1), SendFilter.All);
        Assert.Equal([("gmail", 20L), ("outlook", 1L), (SendEventProcessor.Unknown, 1L)], byProvider.Select(r => (r.MailboxProvider, r.Totals.Delivered)));
    }

    [Fact]
    public async Task A_batch_that_fails_before_its_commit_counts_nothing_and_is_rolled_up_again()
    {
        await StoreAsync(Contexts, Many(30, Minute, (_, at) => Event(at, SendEventKind.Delivered)));
        var failing = new FailingSave();
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), Provider, ConnectionString).AddInterceptors(failing).Options;
        var crashing = new SendEventProcessor(new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options), _classifier, Time);

        await Assert.ThrowsAsync<DbUpdateException>(() => crashing.ProcessBatchAsync(100));
        var afterCrash = await Reader.TotalAsync(Minute, Minute.AddMinutes(1), SendFilter.All);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            Assert.Equal(30, await db.Set<SendEventRow>().CountAsync(e => e.ProcessedAt == null));
        }

        var retried = await Processor.ProcessBatchAsync(100);
        var afterRetry = await Reader.TotalAsync(Minute, Minute.AddMinutes(1), SendFilter.All);

        Assert.Equal(0, afterCrash.Delivered);
        Assert.Equal(30, retried.Events);
        Assert.Equal(30, afterRetry.Delivered);
    }

    [Fact]
    public async Task Two_processors_at_once_count_every_event_exactly_once()
    {
        await StoreAsync(Contexts, Enumerable.Range(0, 20).SelectMany(m => Many(40, Minute.AddMinutes(m), (i, at) => Event(at, i % 4 == 0 ? SendEventKind.Deferred : SendEventKind.Delivered, i % 2 == 0 ? "gmail.com" : "yahoo.com"))));
        var processors = new[] { new SendEventProcessor(Contexts, new TestMailboxProviders(), Time), new SendEventProcessor(Contexts, new TestMailboxProviders(), Time) };

        await Task.WhenAll(processors.Select(p => Task.Run(async () =>
        {
            // Each drains until the table is empty for it; a batch another node took in part is rolled back and read again.
            for (var idle = 0; idle < 3;)
            {
                idle = (await p.ProcessBatchAsync(25)).Events == 0 ? idle + 1 : 0;
            }
        })));
        while ((await Processor.ProcessBatchAsync(100)).Events > 0)
        {
        }

        var totals = await Reader.TotalAsync(Minute, Minute.AddMinutes(20), SendFilter.All);
        Assert.Equal((600L, 200L), (totals.Delivered, totals.Deferred));
    }

    [Fact]
    public async Task The_reader_gives_series_per_minute_and_hour_and_the_events_of_a_minute_without_addresses()
    {
        await StoreAsync(Contexts, Enumerable.Range(0, 90).SelectMany(m => Many(3, Minute.AddMinutes(m), (i, at) => Event(at, i == 0 && m == 10 ? SendEventKind.Blocked : SendEventKind.Delivered, "gmail.com",
            status: i == 0 && m == 10 ? "5.7.1" : null, diagnostic: i == 0 && m == 10 ? "550-5.7.1 Our system has detected that this message is likely unsolicited mail." : null))));
        while ((await Processor.ProcessBatchAsync(100)).Events > 0)
        {
        }

        var perMinute = await Reader.SeriesAsync(Minute, Minute.AddMinutes(30), 1, SendFilter.All);
        var perHour = await Reader.SeriesAsync(Minute.AddMinutes(-5), Minute.AddMinutes(115), 60, SendFilter.All);
        var spike = await Reader.EventsOfMinuteAsync(Minute.AddMinutes(10).AddSeconds(30), new SendFilter(MailboxProvider: "gmail"), [SendEventKind.Blocked], 50);

        Assert.Equal(30, perMinute.Count);
        Assert.All(perMinute, p => Assert.Equal(3, p.Totals.Volume));
        Assert.Equal([(Minute.AddMinutes(-5), 165L), (Minute.AddMinutes(55), 105L)], perHour.Select(p => (p.Start, p.Totals.Volume)));
        var blocked = Assert.Single(spike);
        Assert.Equal(("Blocked", "gmail-5.7.1-spam"), (blocked.Kind, blocked.ThrottlingCode));
        Assert.Matches("^[0-9a-f]{64}$", blocked.RecipientHash!);
    }

    /// <summary>Fails every SaveChanges: the service dying between rolling up and committing.</summary>
    private sealed class FailingSave : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            throw new DbUpdateException("the database went away", (Exception?)null);
    }
}

public sealed class SqliteSendEventProcessorTests : SendEventProcessorTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresSendEventProcessorTests(PostgresFixture postgres) : SendEventProcessorTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "sending_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
