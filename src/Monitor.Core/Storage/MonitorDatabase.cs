using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Monitor.Core.Storage;

/// <summary>Creates the database and every table and index of a model that is missing from it.</summary>
/// <remarks>
/// Not <c>EnsureCreated</c>: it does nothing when the database has any table, and the Quartz job store shares the
/// file, so whichever started first would win, and a table added by a later release would never be created. Here each
/// CREATE TABLE / CREATE INDEX of the model's script runs with IF NOT EXISTS (SQLite and PostgreSQL both have it),
/// so a database made by an older release gains the new tables on the next start. Not migrations (yet): one model on
/// two providers would need two migration sets kept in step. A changed column of an existing table needs them.
/// Works for any context on the same database (the monitor's model, the sign-in model).
/// </remarks>
public static partial class MonitorDatabase
{
    public static async Task EnsureSchemaAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite() && StorageOptions.SqliteFile(db.Database.GetConnectionString() ?? "") is { } file)
        {
            SqliteFileMode.CreateForOwnerOnly(Path.GetFullPath(file));
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

        foreach (var statement in IdempotentCreateStatements(db.Database.GenerateCreateScript()))
        {
            await db.Database.ExecuteSqlRawAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The script's statements, each rewritten to do nothing when its table or index exists.</summary>
    internal static IEnumerable<string> IdempotentCreateStatements(string createScript)
    {
        foreach (var statement in StatementEnd().Split(createScript))
        {
            var text = statement.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            var idempotent = CreateTable().Replace(text, "CREATE TABLE IF NOT EXISTS ", 1);
            idempotent = CreateIndex().Replace(idempotent, "CREATE ${unique}INDEX IF NOT EXISTS ", 1);
            if (idempotent == text)
            {
                throw new InvalidOperationException($"The schema script has a statement that cannot be made idempotent: {text[..Math.Min(text.Length, 80)]}");
            }

            yield return idempotent;
        }
    }

    // A statement ends with ';' at the end of a line; the script puts each statement on its own lines.
    [GeneratedRegex(@";\s*(?:\r?\n|$)")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"^CREATE TABLE (?!IF NOT EXISTS)")]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^CREATE (?<unique>UNIQUE )?INDEX (?!IF NOT EXISTS)")]
    private static partial Regex CreateIndex();
}
