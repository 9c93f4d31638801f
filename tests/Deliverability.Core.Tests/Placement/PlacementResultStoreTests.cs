using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Placement;

/// <summary>What the placement store guarantees, on each provider (the subclasses below).</summary>
public abstract class PlacementResultStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

    protected abstract StorageProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    private PlacementResultStore Store { get; set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), Provider, ConnectionString).Options;
        var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        Store = new PlacementResultStore(contexts);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Run_is_read_back_whole_with_every_seed_in_order()
    {
        var run = Run(Start, ("Gmail", SeedPlacementStatus.Inbox), ("Gmail", SeedPlacementStatus.Spam), ("Yahoo", SeedPlacementStatus.Error));
        await Store.SaveAsync(run);

        var stored = await Store.GetAsync(run.Id);

        Assert.NotNull(stored);
        Assert.Equal((run.Id, run.SendPath, run.StartedAt, run.FinishedAt), (stored.Run.Id, stored.Run.SendPath, stored.Run.StartedAt, stored.Run.FinishedAt));
        Assert.Equal(run.Seeds.Select(Comparable), stored.Run.Seeds.Select(Comparable));
        Assert.Null(stored.Previous);
    }

    [Fact]
    public async Task Latest_run_is_compared_with_the_run_before_it_per_provider()
    {
        await Store.SaveAsync(Run(Start, ("Gmail", SeedPlacementStatus.Inbox), ("Gmail", SeedPlacementStatus.Inbox), ("Yahoo", SeedPlacementStatus.Spam)));
        await Store.SaveAsync(Run(Start.AddHours(6), ("Gmail", SeedPlacementStatus.Inbox), ("Gmail", SeedPlacementStatus.Spam), ("Yahoo", SeedPlacementStatus.Inbox)));

        var latest = await Store.GetLatestAsync();

        Assert.NotNull(latest?.Previous);
        Assert.Equal(Start.AddHours(6), latest.Run.StartedAt);
        var deltas = latest.Deltas.ToDictionary(d => d.Provider ?? "(overall)", d => d.InboxRateChange);
        Assert.Equal(-0.5, deltas["Gmail"]!.Value, 6);
        Assert.Equal(1.0, deltas["Yahoo"]!.Value, 6);
        Assert.Equal(0.0, deltas["(overall)"]!.Value, 6);
    }

    [Fact]
    public async Task List_gives_newest_runs_first_with_their_counts()
    {
        await Store.SaveAsync(Run(Start, ("Gmail", SeedPlacementStatus.Missing)));
        await Store.SaveAsync(Run(Start.AddHours(6), ("Gmail", SeedPlacementStatus.Inbox), ("Gmail", SeedPlacementStatus.Error)));

        var runs = await Store.ListAsync(10);

        Assert.Equal([(Start.AddHours(6), 2, 1, 1), (Start, 1, 0, 0)], runs.Select(r => (r.StartedAt, r.Seeds, r.Inbox, r.Errors)));
        Assert.Equal(1, runs[1].Missing);
    }

    [Fact]
    public async Task Unknown_run_is_null_and_an_empty_store_has_no_latest()
    {
        Assert.Null(await Store.GetAsync(Guid.NewGuid()));
        Assert.Null(await Store.GetLatestAsync());
    }

    private static object Comparable(SeedPlacement s) => (s.Provider, s.Address, s.Status, s.Folder, s.SentAt, s.ArrivedAt, s.Authentication, string.Join("|", s.AuthenticationResults), s.Error);

    private static PlacementRunReport Run(DateTimeOffset startedAt, params (string Provider, SeedPlacementStatus Status)[] seeds) => new(
        Guid.NewGuid(),
        "mta",
        startedAt,
        startedAt.AddMinutes(3),
        [.. seeds.Select((s, i) => new SeedPlacement(
            s.Provider,
            $"seed{i}@{s.Provider.ToLowerInvariant()}.test",
            s.Status,
            s.Status switch { SeedPlacementStatus.Inbox => "INBOX", SeedPlacementStatus.Spam => "Junk", _ => null },
            s.Status == SeedPlacementStatus.Error ? null : startedAt.AddSeconds(1),
            s.Status is SeedPlacementStatus.Inbox or SeedPlacementStatus.Spam ? startedAt.AddSeconds(40) : null,
            s.Status == SeedPlacementStatus.Inbox ? new ReceiverAuthentication("pass", "fail", null) : ReceiverAuthentication.None,
            s.Status == SeedPlacementStatus.Inbox ? ["mx.test; spf=pass; dkim=fail (\"quoted\")"] : [],
            s.Status == SeedPlacementStatus.Error ? "IMAP 127.0.0.1:143 as 'x': unreachable: connection refused" : null))]);
}

public sealed class SqlitePlacementResultStoreTests : PlacementResultStoreTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"monitor-placement-{Guid.NewGuid():N}");

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(_folder, "monitor.db")}";

    // The whole folder: the database runs in WAL mode, whose -wal and -shm files stay beside it.
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

public sealed class PostgresPlacementResultStoreTests(PostgresFixture postgres) : PlacementResultStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "placement_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
