using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.Forecasts;
using Deliverability.Core.Storage;
using Deliverability.Migrations;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>The history, campaign and forecast tables on both providers: made by the schema step, written and read back.</summary>
public sealed class ForecastStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset End = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task History_campaigns_and_forecasts_round_trip_on_sqlite()
    {
        using var database = await TemporarySqliteDatabase.CreateAsync();
        await RoundTripAsync(new ForecastStore(database.Contexts));
    }

    [Fact]
    public async Task History_campaigns_and_forecasts_round_trip_on_postgres()
    {
        await RoundTripAsync(new ForecastStore(await PostgresContextsAsync()));
    }

    private static async Task RoundTripAsync(ForecastStore store)
    {
        var points = ForecastSamples.HourlyPoints(End, 48);
        // Given in another offset: stored and read back in UTC, the same instants.
        var shifted = points.Select(p => p with { Timestamp = p.Timestamp.ToOffset(TimeSpan.FromHours(2)) }).ToList();

        Assert.Equal(new HistoryImport(48, 0, 0, 0, 48), await store.ImportHistoryAsync("orders", shifted, replace: false));
        Assert.Equal(new HistoryImport(0, 0, 48, 0, 48), await store.ImportHistoryAsync("orders", points, replace: false));
        Assert.Equal(new HistoryImport(0, 1, 0, 0, 48), await store.ImportHistoryAsync("orders", [points[^1] with { Count = 1 }], replace: false));
        Assert.Equal(new HistoryImport(0, 0, 24, 24, 24), await store.ImportHistoryAsync("orders", [.. points.Take(24)], replace: true));
        var stored = await store.GetHistoryAsync("orders");
        Assert.Equal(points.Take(24), stored);
        Assert.All(stored, p => Assert.Equal(TimeSpan.Zero, p.Timestamp.Offset));
        Assert.Equal(points.Skip(12).Take(12), await store.GetHistoryAsync("orders", points[12].Timestamp));
        Assert.Equal([new StoredStream("orders", 24, points[0].Timestamp, points[23].Timestamp)], await store.ListStreamsAsync());
        Assert.True(await store.HasHistoryAsync("orders"));
        Assert.False(await store.HasHistoryAsync("other"));

        var campaign = new PlannedCampaignRow { Id = Guid.NewGuid(), Date = new DateOnly(2026, 12, 1), Stream = "orders", ExpectedVolume = 1.5e6, Name = "Sale", CreatedBy = "olga", CreatedAt = End };
        await store.AddCampaignAsync(campaign);
        var read = Assert.Single(await store.ListCampaignsAsync("orders"));
        Assert.Equal((campaign.Id, campaign.Date, 1.5e6, "Sale"), (read.Id, read.Date, read.ExpectedVolume, read.Name));
        Assert.True(await store.DeleteCampaignAsync(campaign.Id));
        Assert.False(await store.DeleteCampaignAsync(campaign.Id));

        var older = ForecastSamples.Forecast("orders", End, 24, 1000, createdAt: End.AddHours(1));
        var newer = ForecastSamples.Forecast("orders", End, 24, 2000, createdAt: End.AddHours(2));
        var failed = new ForecastRunRow { Id = Guid.NewGuid(), Stream = "orders", CreatedAt = End.AddHours(3), Trigger = "api", StartedBy = "olga", Status = ForecastRunStatus.Failed, Error = new string('x', 2000) };
        foreach (var run in new[] { older, newer, failed })
        {
            await store.AddRunAsync(run);
        }

        Assert.Equal([failed.Id, newer.Id, older.Id], (await store.ListRunsAsync("orders", 10)).Select(r => r.Id));
        Assert.All(await store.ListRunsAsync("orders", 10), r => Assert.Null(r.PointsJson));
        var latest = (await store.LatestCompletedAsync("orders"))!;
        Assert.Equal((newer.Id, newer.PointsJson, TimeSpan.FromHours(24), 0.125), (latest.Id, latest.PointsJson, latest.Horizon, latest.BacktestWape));
        Assert.Equal([newer.Id], (await store.LatestCompletedAsync()).Select(r => r.Id));
        Assert.Equal(ForecastStore.MaxErrorLength, (await store.GetRunAsync(failed.Id))!.Error!.Length);
    }

    private async Task<IDbContextFactory<MonitorDbContext>> PostgresContextsAsync()
    {
        var connection = postgres.Server.ConnectionString("forecasts_" + Guid.NewGuid().ToString("N")[..12]);
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Postgres, connection).Options;
        await DatabaseMigrator.MigrateAsync(StorageProvider.Postgres, connection);
        return new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
    }
}
