using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.Storage;
using Deliverability.Migrations;

namespace Deliverability.Server.Tests;

/// <summary>A fresh SQLite database with the schema made, in a folder of its own; removed with its WAL files on dispose.</summary>
internal sealed class TemporarySqliteDatabase : IDisposable
{
    private readonly string _folder;

    private TemporarySqliteDatabase(string folder, IDbContextFactory<MonitorDbContext> contexts)
    {
        _folder = folder;
        Contexts = contexts;
    }

    public IDbContextFactory<MonitorDbContext> Contexts { get; }

    public static async Task<TemporarySqliteDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-dashboard-tests-" + Guid.NewGuid().ToString("N"));
        var connectionString = $"Data Source={Path.Combine(folder, "monitor.db")}";
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, connectionString).Options;
        var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await DatabaseMigrator.MigrateAsync(StorageProvider.Sqlite, connectionString);

        return new TemporarySqliteDatabase(folder, contexts);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
