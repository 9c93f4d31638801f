using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Deliverability.Core.Storage;
using Npgsql;

namespace Deliverability.Migrations;

/// <summary>
/// Brings the database to the latest schema: both models' migrations on the configured provider, after adopting a
/// database made before migrations (<see cref="LegacyAdoption"/>). On PostgreSQL the whole step holds an advisory lock,
/// so nodes starting together migrate one after the other (the second finds nothing to do).
/// </summary>
public static class DatabaseMigrator
{
    // Any 64-bit number other tools on the same database are unlikely to choose: "MONITOR" in ASCII.
    private const long SchemaLockKey = 0x4D4F4E49544F52;

    public static async Task MigrateAsync(StorageProvider provider, string connectionString, CancellationToken cancellationToken = default)
    {
        if (provider == StorageProvider.Sqlite)
        {
            if (StorageOptions.SqliteFile(connectionString) is { } file)
            {
                SqliteFileMode.CreateForOwnerOnly(Path.GetFullPath(file));
            }
        }
        else
        {
            await CreatePostgresDatabaseAsync(connectionString, cancellationToken).ConfigureAwait(false);
        }

        await using var schemaLock = await SchemaLockAsync(provider, connectionString, cancellationToken).ConfigureAwait(false);
        foreach (var create in SchemaContexts.Factories(provider, connectionString))
        {
            await using (var adopting = create())
            {
                if (provider == StorageProvider.Sqlite)
                {
                    // WAL lets the API read while an audit cycle or the job store writes.
                    await adopting.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
                }

                foreach (var statement in (await LegacyAdoption.PlanAsync(adopting, cancellationToken).ConfigureAwait(false)).Statements)
                {
                    await adopting.Database.ExecuteSqlRawAsync(statement, cancellationToken).ConfigureAwait(false);
                }
            }

            await using var migrating = create();
            await migrating.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The SQL <see cref="MigrateAsync"/> would run on this database now (adoption, then each migration not applied yet),
    /// for operators who apply schema changes themselves. Reads the database; changes nothing.
    /// </summary>
    public static async Task<string> ScriptAsync(StorageProvider provider, string connectionString, CancellationToken cancellationToken = default)
    {
        var script = new StringBuilder();
        var exists = provider == StorageProvider.Postgres || (StorageOptions.SqliteFile(connectionString) is { } file && File.Exists(file));
        foreach (var context in SchemaContexts.All(provider, connectionString))
        {
            await using var db = context;
            string? from = null;
            if (exists)
            {
                var adoption = await LegacyAdoption.PlanAsync(db, cancellationToken).ConfigureAwait(false);
                foreach (var statement in adoption.Statements)
                {
                    script.Append(statement.TrimEnd()).AppendLine(statement.TrimEnd().EndsWith(';') ? "" : ";");
                }

                from = adoption.LastAdopted
                    ?? (await db.Database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).LastOrDefault();
            }

            if (from != db.Database.GetMigrations().LastOrDefault())
            {
                script.AppendLine(db.GetService<IMigrator>().GenerateScript(fromMigration: from));
            }
        }

        return script.ToString();
    }

    /// <summary>The migrations of either model not yet applied to the database (empty when it is up to date).</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(StorageProvider provider, string connectionString, CancellationToken cancellationToken = default)
    {
        var pending = new List<string>();
        foreach (var context in SchemaContexts.All(provider, connectionString))
        {
            await using var db = context;
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (provider == StorageProvider.Postgres || await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                pending.AddRange(await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false));
            }
            else
            {
                pending.AddRange(db.Database.GetMigrations());
            }
        }

        return pending;
    }

    // The lock is taken in the database, so it must exist first; two nodes may both try to create it.
    private static async Task CreatePostgresDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = SchemaContexts.Monitor(StorageProvider.Postgres, connectionString);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        try
        {
            if (!await creator.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                await creator.CreateAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
    }

    private static async Task<IAsyncDisposable> SchemaLockAsync(StorageProvider provider, string connectionString, CancellationToken cancellationToken)
    {
        if (provider != StorageProvider.Postgres)
        {
            // SQLite serves one node; the migrations' own lock table guards two processes on one file.
            return NoLock.Instance;
        }

        // Waits as long as the node that holds it migrates (a slow migration on a busy server must not stop the nodes
        // started with it); stopping the start cancels the wait.
        return await AdvisoryLock.AcquireAsync(connectionString, SchemaLockKey, cancellationToken).ConfigureAwait(false);
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
