using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Tests.Storage;

/// <summary>The SQLite database holds password hashes and results: only its owner may read it, like the keys files (Unix file modes).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DatabaseFileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-file-mode-tests-" + Guid.NewGuid().ToString("N"));

    private string DatabaseFile => Path.Combine(_folder, "data", "monitor.db");

    [Fact]
    public async Task A_new_database_and_its_wal_and_shm_files_are_readable_by_their_owner_only()
    {
        await using (var db = Context())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE IF NOT EXISTS probe (x INTEGER); INSERT INTO probe VALUES (1);");

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabaseFile));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabaseFile + "-wal"));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabaseFile + "-shm"));
        }
    }

    [Fact]
    public async Task A_database_made_readable_by_all_is_restricted_to_its_owner_at_start()
    {
        await using (var first = Context())
        {
            await MonitorDatabase.EnsureSchemaAsync(first);
        }

        SqliteConnection.ClearAllPools();
        var readableByAll = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        foreach (var file in new[] { DatabaseFile, DatabaseFile + "-wal", DatabaseFile + "-shm" }.Where(File.Exists))
        {
            File.SetUnixFileMode(file, readableByAll);
        }

        await using var again = Context();
        await MonitorDatabase.EnsureSchemaAsync(again);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(DatabaseFile));
        Assert.All(new[] { DatabaseFile + "-wal", DatabaseFile + "-shm" }.Where(File.Exists), file => Assert.Equal(OwnerOnly, File.GetUnixFileMode(file)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private MonitorDbContext Context() =>
        new((DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={DatabaseFile}").Options);
}
