using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Monitor.Core.Storage;

/// <summary>Creates the database and this model's tables when they are missing.</summary>
/// <remarks>
/// Not <c>EnsureCreated</c>: it does nothing when the database has any table, and the Quartz job store shares the
/// file, so whichever started first would win. Not migrations either (yet): one model on two providers would need
/// two migration sets kept in step; the schema is young. When it first changes, add migrations per provider.
/// </remarks>
public static class MonitorDatabase
{
    public static async Task EnsureSchemaAsync(MonitorDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            var file = StorageOptions.SqliteFile(db.Database.GetConnectionString() ?? "");
            var folder = file is null ? null : Path.GetDirectoryName(Path.GetFullPath(file));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
        }

        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets the API read while an audit cycle or the job store writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        if (!await HasTablesAsync(db, cancellationToken).ConfigureAwait(false))
        {
            await creator.CreateTablesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Asked of the catalog, not by querying the table: a failing query would log an error on every first start.
    private static async Task<bool> HasTablesAsync(MonitorDbContext db, CancellationToken cancellationToken)
    {
        var sql = db.Database.IsSqlite()
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'domain_audits'"
            : "SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'domain_audits'";
        var count = await db.Database.SqlQueryRaw<int>(sql).SingleAsync(cancellationToken).ConfigureAwait(false);
        return count > 0;
    }
}
