using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.LoadTests;
using Deliverability.Core.Storage;
using Deliverability.Migrations;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.LoadTests;

/// <summary>The table of load-test runs on both providers: made by the schema step, written and read back whole.</summary>
public sealed class LoadTestRunStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_run_round_trips_on_sqlite_from_running_through_progress_to_its_end()
    {
        using var database = await TemporarySqliteDatabase.CreateAsync();
        await RoundTripAsync(new LoadTestRunStore(database.Contexts));
    }

    [Fact]
    public async Task A_run_round_trips_on_postgres_from_running_through_progress_to_its_end()
    {
        await RoundTripAsync(new LoadTestRunStore(await PostgresContextsAsync()));
    }

    [Fact]
    public async Task Lists_are_newest_first_filtered_by_scenario_and_send_path_and_bounded_on_postgres()
    {
        await ListsAsync(new LoadTestRunStore(await PostgresContextsAsync()));
    }

    [Fact]
    public async Task Lists_are_newest_first_filtered_by_scenario_and_send_path_and_bounded_on_sqlite()
    {
        using var database = await TemporarySqliteDatabase.CreateAsync();
        await ListsAsync(new LoadTestRunStore(database.Contexts));
    }

    [Fact]
    public async Task Runs_this_node_left_running_are_marked_aborted_and_other_nodes_runs_are_left_alone()
    {
        using var database = await TemporarySqliteDatabase.CreateAsync();
        var store = new LoadTestRunStore(database.Contexts);
        var mine = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, LoadTestRunStatus.Running, node: "node-a");
        var theirs = LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday, LoadTestRunStatus.Running, node: "node-b");
        await store.AddAsync(mine);
        await store.AddAsync(theirs);

        var aborted = await store.AbortLeftoversAsync("node-a", LoadTestSamples.Monday.AddHours(1));

        Assert.Equal(1, aborted);
        var stored = (await store.GetAsync(mine.Id))!;
        Assert.Equal((LoadTestRunStatus.Aborted, LoadTestSamples.Monday.AddHours(1)), (stored.Status, stored.EndedAt));
        Assert.Contains("stopped before the run ended", stored.Reason, StringComparison.Ordinal);
        Assert.Equal(LoadTestRunStatus.Running, (await store.GetAsync(theirs.Id))!.Status);
        Assert.False(await store.SaveProgressAsync(mine.Id, 1, 1, 0, 1), "an aborted run takes no more progress");
    }

    private static async Task RoundTripAsync(LoadTestRunStore store)
    {
        var run = LoadTestSamples.Run("smtp-capacity", "mta-eu", LoadTestSamples.Monday, LoadTestRunStatus.Running);
        await store.AddAsync(run);
        Assert.True(await store.SaveProgressAsync(run.Id, 123.5, 87.25, 0.02, 4000));
        var running = (await store.GetAsync(run.Id))!;
        Assert.Equal((LoadTestRunStatus.Running, 123.5, 87.25, 0.02, 4000L), (running.Status, running.AchievedRate, running.P99Ms, running.ErrorRate, running.Completed));

        // A report carries a histogram per second: far beyond any length limit of a text column of fixed size.
        var report = "{\"schemaVersion\":1,\"histogram\":\"" + new string('A', 300_000) + "\"}";
        var end = new LoadTestRunEnd(
            LoadTestRunStatus.Completed, LoadTestSamples.Monday.AddMinutes(5), StopReason: "Converged", ThresholdsHeld: true, KneeRate: 412.5,
            AchievedRate: 410, P99Ms: 480.5, ErrorRate: 0.001, Completed: 60_000, ReportJson: report, CapacityJson: "[{\"targetRate\":100}]");
        Assert.True(await store.FinishAsync(run.Id, end));

        var stored = (await store.GetAsync(run.Id))!;
        Assert.Equal(
            ("smtp-capacity", "smtp", "mta-eu", "olga", LoadTestSamples.Monday, LoadTestSamples.Monday.AddMinutes(5), LoadTestRunStatus.Completed, "Converged"),
            (stored.Scenario, stored.Kind, stored.SendPath, stored.StartedBy, stored.StartedAt, stored.EndedAt!.Value, stored.Status, stored.StopReason));
        Assert.Equal((true, 412.5, 410.0, 480.5, 0.001, 60_000L), (stored.ThresholdsHeld!.Value, stored.KneeRate!.Value, stored.AchievedRate!.Value, stored.P99Ms!.Value, stored.ErrorRate!.Value, stored.Completed!.Value));
        Assert.Equal(report, stored.ReportJson);
        Assert.Equal("[{\"targetRate\":100}]", stored.CapacityJson);
        Assert.False(await store.SaveProgressAsync(run.Id, 1, 1, 1, 1), "a completed run takes no more progress");
        Assert.False(await store.FinishAsync(Guid.NewGuid(), end));

        var failed = LoadTestSamples.Run("http-send", null, LoadTestSamples.Monday.AddHours(1), LoadTestRunStatus.Running);
        await store.AddAsync(failed);
        await store.FinishAsync(failed.Id, new LoadTestRunEnd(LoadTestRunStatus.Failed, LoadTestSamples.Monday.AddHours(1.1), Reason: "IOException: " + new string('x', 5000)));
        var failedRow = (await store.GetAsync(failed.Id))!;
        Assert.Equal(LoadTestRunStatus.Failed, failedRow.Status);
        Assert.Equal(LoadTestRunStore.MaxReasonLength, failedRow.Reason!.Length);
        Assert.Null(failedRow.ReportJson);
    }

    private static async Task ListsAsync(LoadTestRunStore store)
    {
        var runs = new[]
        {
            LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday),
            LoadTestSamples.Run("smtp-submission", "mta-eu", LoadTestSamples.Monday.AddHours(1)),
            LoadTestSamples.Run("http-send", "api", LoadTestSamples.Monday.AddHours(2), LoadTestRunStatus.Failed),
            LoadTestSamples.Run("smtp-submission", "mta", LoadTestSamples.Monday.AddHours(3), LoadTestRunStatus.Running),
        };
        foreach (var run in runs)
        {
            await store.AddAsync(run);
        }

        Assert.Equal([runs[3].Id, runs[2].Id, runs[1].Id, runs[0].Id], (await store.ListAsync(new LoadTestRunQuery(10))).Select(r => r.Id));
        Assert.Equal([runs[3].Id, runs[2].Id], (await store.ListAsync(new LoadTestRunQuery(2))).Select(r => r.Id));
        Assert.Equal([runs[3].Id, runs[1].Id, runs[0].Id], (await store.ListAsync(new LoadTestRunQuery(10, Scenario: "smtp-submission"))).Select(r => r.Id));
        Assert.Equal([runs[3].Id, runs[0].Id], (await store.ListAsync(new LoadTestRunQuery(10, SendPath: "mta"))).Select(r => r.Id));
        Assert.Equal([runs[1].Id, runs[0].Id], (await store.LatestCompletedAsync()).Select(r => r.Id));
    }

    private async Task<IDbContextFactory<MonitorDbContext>> PostgresContextsAsync()
    {
        var connection = postgres.Server.ConnectionString("loadtests_" + Guid.NewGuid().ToString("N")[..12]);
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Postgres, connection).Options;
        await DatabaseMigrator.MigrateAsync(StorageProvider.Postgres, connection);
        return new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
    }
}
