using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Audits;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Storage;

/// <summary>What the store guarantees, on each provider (the subclasses below).</summary>
public abstract class AuditResultStoreTests : StoreFixture
{
    [Fact]
    public async Task First_result_of_a_check_is_recorded_as_a_change_from_no_status()
    {
        var changes = await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok), ("dkim", CheckStatus.Error)));

        Assert.Equal([("dkim", (CheckStatus?)null, CheckStatus.Error), ("spf", null, CheckStatus.Ok)], changes.Select(c => (c.Check, c.FromStatus, c.ToStatus)).OrderBy(c => c.Check));
        var stored = await Store.GetLatestAsync("example.test");
        Assert.NotNull(stored);
        Assert.Equal(CheckStatus.Error, stored.Audit.Status);
        Assert.Equal(["dkim", "spf"], stored.Checks.Select(c => c.Check));
    }

    [Fact]
    public async Task Unchanged_status_updates_checked_at_and_findings_but_adds_no_history()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));
        var firstSeen = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(15));

        var changes = await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));

        Assert.Empty(changes);
        Assert.Single(await Store.GetHistoryAsync("example.test", "spf", 100));
        var state = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Equal(Time.GetUtcNow(), state.CheckedAt);
        Assert.Equal(firstSeen, state.Since);
    }

    [Fact]
    public async Task Change_of_status_adds_one_history_row_and_restarts_since()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok), ("dkim", CheckStatus.Ok)));
        Time.Advance(TimeSpan.FromMinutes(15));

        var changes = await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Error), ("dkim", CheckStatus.Ok)));

        var change = Assert.Single(changes);
        Assert.Equal(("spf", CheckStatus.Ok, CheckStatus.Error, "spf.broken"), (change.Check, change.FromStatus!.Value, change.ToStatus, change.Summary));
        var history = await Store.GetHistoryAsync("example.test", null, 100);
        Assert.Equal(3, history.Count);
        Assert.Equal(change.Id, history[0].Id);
        var spf = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks, c => c.Check == "spf");
        Assert.Equal(Time.GetUtcNow(), spf.Since);
    }

    [Fact]
    public async Task Findings_and_records_are_stored_with_code_severity_message_fix_and_subject()
    {
        await Store.SaveAsync(Report("example.test", ("dkim", CheckStatus.Error)));

        var state = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);

        var finding = Assert.Single(StoredJson.Findings(state));
        Assert.Equal(Finding.Error("dkim.broken", "dkim is broken.", "Fix dkim.") with { Subject = "selector1" }, finding);
        Assert.Equal(["dkim record"], StoredJson.Records(state));
        Assert.Equal((1, 0), (state.ErrorCount, state.WarningCount));
    }

    [Fact]
    public async Task Summaries_count_error_and_warning_findings_per_domain()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Warning), ("dkim", CheckStatus.Error), ("mx", CheckStatus.Warning)));
        await Store.SaveAsync(Report("other.test", ("spf", CheckStatus.Ok)));

        var summaries = (await Store.GetSummariesAsync()).OrderBy(s => s.Domain).ToArray();

        Assert.Equal(
            [new StoredDomainSummary("example.test", CheckStatus.Error, Time.GetUtcNow(), 1, 2), new StoredDomainSummary("other.test", CheckStatus.Ok, Time.GetUtcNow(), 0, 0)],
            summaries);
    }

    [Fact]
    public async Task Summaries_of_named_domains_are_those_of_the_named_domains_only()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Warning), ("dkim", CheckStatus.Error)));
        await Store.SaveAsync(Report("other.test", ("spf", CheckStatus.Ok)));
        await Store.SaveAsync(Report("third.test", ("spf", CheckStatus.Error)));

        var summaries = (await Store.GetSummariesAsync(["example.test", "third.test", "never-audited.test"])).OrderBy(s => s.Domain).ToArray();

        Assert.Equal(
            [new StoredDomainSummary("example.test", CheckStatus.Error, Time.GetUtcNow(), 1, 1), new StoredDomainSummary("third.test", CheckStatus.Error, Time.GetUtcNow(), 1, 0)],
            summaries);
    }

    [Fact]
    public async Task A_check_that_no_longer_runs_has_no_current_state_but_keeps_its_history()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok), ("bimi", CheckStatus.Warning)));

        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));

        Assert.Equal(["spf"], (await Store.GetLatestAsync("example.test"))!.Checks.Select(c => c.Check));
        Assert.Single(await Store.GetHistoryAsync("example.test", "bimi", 100));
    }

    [Fact]
    public async Task A_failed_save_keeps_every_earlier_result_of_that_domain_and_of_the_others()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));
        await Store.SaveAsync(Report("other.test", ("spf", CheckStatus.Ok)));
        Time.Advance(TimeSpan.FromMinutes(15));

        // The same check twice breaks the unique (domain, check) index: the save fails half-way and rolls back.
        var broken = Report("example.test", ("spf", CheckStatus.Error), ("dkim", CheckStatus.Ok), ("dkim", CheckStatus.Error));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => Store.SaveAsync(broken));

        var example = (await Store.GetLatestAsync("example.test"))!;
        Assert.Equal(CheckStatus.Ok, example.Audit.Status);
        var only = Assert.Single(example.Checks);
        Assert.Equal(("spf", CheckStatus.Ok), (only.Check, only.Status));
        Assert.Single(await Store.GetHistoryAsync("example.test", null, 100));
        Assert.NotNull(await Store.GetLatestAsync("other.test"));
    }

    [Fact]
    public async Task History_is_newest_first_filtered_by_check_and_limited()
    {
        foreach (var status in new[] { CheckStatus.Ok, CheckStatus.Error, CheckStatus.Warning, CheckStatus.Ok })
        {
            await Store.SaveAsync(Report("example.test", ("spf", status), ("dkim", CheckStatus.Ok)));
            Time.Advance(TimeSpan.FromMinutes(15));
        }

        var spf = await Store.GetHistoryAsync("example.test", "spf", 3);

        Assert.Equal([CheckStatus.Ok, CheckStatus.Warning, CheckStatus.Error], spf.Select(t => t.ToStatus));
        Assert.All(spf, t => Assert.Equal("spf", t.Check));
    }

    [Fact]
    public async Task Retention_removes_history_older_than_history_days()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));          // day 0
        Time.Advance(TimeSpan.FromDays(50));
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Error)));       // day 50
        Time.Advance(TimeSpan.FromDays(45));                                             // day 95

        var removed = await Store.ApplyRetentionAsync(new RetentionOptions { HistoryDays = 90, MaxHistoryPerCheck = 1000 });

        Assert.Equal(1, removed);
        Assert.Equal(CheckStatus.Error, Assert.Single(await Store.GetHistoryAsync("example.test", null, 100)).ToStatus);
        Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
    }

    [Fact]
    public async Task Retention_keeps_only_the_newest_changes_of_each_check()
    {
        var statuses = new[] { CheckStatus.Ok, CheckStatus.Error, CheckStatus.Ok, CheckStatus.Error, CheckStatus.Warning };
        foreach (var status in statuses)
        {
            await Store.SaveAsync(Report("example.test", ("spf", status), ("dkim", CheckStatus.Ok)));
            Time.Advance(TimeSpan.FromMinutes(15));
        }

        var removed = await Store.ApplyRetentionAsync(new RetentionOptions { HistoryDays = 90, MaxHistoryPerCheck = 2 });

        Assert.Equal(3, removed);
        Assert.Equal([CheckStatus.Warning, CheckStatus.Error], (await Store.GetHistoryAsync("example.test", "spf", 100)).Select(t => t.ToStatus));
        Assert.Single(await Store.GetHistoryAsync("example.test", "dkim", 100));
    }

    [Fact]
    public async Task Each_saved_result_advances_the_bad_streak_and_an_unknown_run_neither_breaks_nor_extends_it()
    {
        var first = Time.GetUtcNow();
        await Store.SaveAsync(Report("example.test", ("dkim", CheckStatus.Error)));
        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.SaveAsync(Report("example.test", ("dkim", CheckStatus.Unknown)));
        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.SaveAsync(Report("example.test", ("dkim", CheckStatus.Warning)));

        var bad = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Equal((2, first, CheckStatus.Warning, "dkim.weak"), (bad.BadRuns, bad.BadSince, bad.BadStatus, Assert.Single(StoredJson.Findings(bad.BadFindingsJson!)).Code));

        await Store.SaveAsync(Report("example.test", ("dkim", CheckStatus.Ok)));
        var good = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Equal((0, (DateTimeOffset?)null, (CheckStatus?)null, (string?)null), (good.BadRuns, good.BadSince, good.BadStatus, good.BadFindingsJson));
    }

    [Fact]
    public async Task A_change_of_records_is_a_drift_from_the_last_conclusive_run_in_any_order_and_not_on_the_first_run()
    {
        await Store.SaveAsync(Report("example.test", ("mx", CheckStatus.Ok)) with { Checks = [new CheckResult("mx", CheckStatus.Ok, [], ["10 a.mx.test", "20 b.mx.test"])] });
        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.SaveAsync(Report("example.test", ("mx", CheckStatus.Ok)) with { Checks = [new CheckResult("mx", CheckStatus.Ok, [], ["20 b.mx.test", "10 a.mx.test"])] });
        await Store.SaveAsync(Report("example.test", ("mx", CheckStatus.Unknown)) with { Checks = [new CheckResult("mx", CheckStatus.Unknown, [], [])] });
        var unchanged = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Null(unchanged.DriftAt);

        Time.Advance(TimeSpan.FromSeconds(5));
        await Store.SaveAsync(Report("example.test", ("mx", CheckStatus.Ok)) with { Checks = [new CheckResult("mx", CheckStatus.Ok, [], ["10 c.mx.test"])] });

        var drifted = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Equal(Time.GetUtcNow(), drifted.DriftAt);
        Assert.Equal(["10 a.mx.test", "20 b.mx.test"], StreakAndDrift.Records(drifted.DriftPreviousJson));
        Assert.Equal(["10 c.mx.test"], StreakAndDrift.Records(drifted.RecordsBaselineJson));
    }

    [Fact]
    public async Task A_check_state_of_an_earlier_release_gains_the_streak_columns_and_its_bad_status_counts_as_one_run_since_it_began()
    {
        var since = Time.GetUtcNow();
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Error)));
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            // As an earlier release made it: no streak or drift columns, and its copy of them in a table of its own.
            foreach (var column in new[] { "BadRuns", "BadSince", "BadStatus", "BadFindingsJson", "RecordsBaselineJson", "DriftAt", "DriftPreviousJson" })
            {
                var drop = $"ALTER TABLE check_states DROP COLUMN \"{column}\"";
                await db.Database.ExecuteSqlRawAsync(drop);
            }

            await db.Database.ExecuteSqlRawAsync("CREATE TABLE alert_check_observations (\"Domain\" TEXT NOT NULL, \"Check\" TEXT NOT NULL)");
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
            Assert.Null((await db.CheckStates.SingleAsync()).BadRuns);
            Assert.Empty(await db.Database.SqlQueryRaw<string>(Provider == StorageProvider.Sqlite
                ? "SELECT name AS \"Value\" FROM sqlite_master WHERE name = 'alert_check_observations'"
                : "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_name = 'alert_check_observations'").ToListAsync());
        }

        Time.Advance(TimeSpan.FromMinutes(15));
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Error)));

        var spf = Assert.Single((await Store.GetLatestAsync("example.test"))!.Checks);
        Assert.Equal((2, since, CheckStatus.Error), (spf.BadRuns, spf.BadSince, spf.BadStatus));
        Assert.Null(spf.DriftAt);
    }

    [Fact]
    public async Task Schema_is_created_beside_other_tables_and_creating_it_again_keeps_the_data()
    {
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));

        await using var db = await Contexts.CreateDbContextAsync();
        await MonitorDatabase.EnsureSchemaAsync(db);

        Assert.NotNull(await Store.GetLatestAsync("example.test"));
    }

    [Fact]
    public async Task A_table_missing_from_an_older_database_is_created_on_the_next_start_and_the_others_keep_their_data()
    {
        // A release that adds a table must find it created on a database made by the release before.
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Ok)));
        await using (var older = await Contexts.CreateDbContextAsync())
        {
            await older.Database.ExecuteSqlRawAsync("DROP TABLE check_transitions");
        }

        await using var db = await Contexts.CreateDbContextAsync();
        await MonitorDatabase.EnsureSchemaAsync(db);

        Assert.Equal(0, await db.CheckTransitions.CountAsync());
        Assert.NotNull(await Store.GetLatestAsync("example.test"));
        await Store.SaveAsync(Report("example.test", ("spf", CheckStatus.Error)));
        Assert.Single(await Store.GetHistoryAsync("example.test", "spf", 10));
    }
}

public sealed class SqliteAuditResultStoreTests : AuditResultStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresAuditResultStoreTests(PostgresFixture postgres) : AuditResultStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "store_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}

public sealed class MonitorDatabaseTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-schema-tests-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Tables_are_created_in_a_file_that_already_holds_another_schema()
    {
        // The Quartz job store shares the file: EnsureCreated would see its tables and create none of ours.
        var connectionString = $"Data Source={Path.Combine(_folder, "nested", "monitor.db")}";
        Directory.CreateDirectory(Path.Combine(_folder, "nested"));
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE QRTZ_LOCKS (SCHED_NAME TEXT, LOCK_NAME TEXT)";
            await command.ExecuteNonQueryAsync();
        }

        await using var db = new MonitorDbContext((DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, connectionString).Options);
        await MonitorDatabase.EnsureSchemaAsync(db);

        Assert.Equal(0, await db.DomainAudits.CountAsync());
    }

    [Fact]
    public async Task The_folder_of_a_new_sqlite_file_is_created()
    {
        var file = Path.Combine(_folder, "a", "b", "monitor.db");
        await using var db = new MonitorDbContext((DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={file}").Options);

        await MonitorDatabase.EnsureSchemaAsync(db);

        Assert.True(File.Exists(file));
    }
}
