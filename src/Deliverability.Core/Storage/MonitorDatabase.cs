using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Deliverability.Core.Storage;

/// <summary>
/// The schema step of the releases before migrations: creates the database and every table, index and nullable column
/// of a model that is missing from it (each CREATE of the model's script with IF NOT EXISTS), and drops retired tables.
/// </summary>
/// <remarks>
/// Neither the service nor the CLI uses it: their one schema path is the migrations (Deliverability.Migrations'
/// DatabaseMigrator), which adopt a database this step made. Test fixtures use it to make a throw-away database quickly
/// and to make a database as those releases left it.
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

        await AddMissingColumnsAsync(db, cancellationToken).ConfigureAwait(false);
        foreach (var table in RetiredTables)
        {
            var drop = $"DROP TABLE IF EXISTS {db.GetService<ISqlGenerationHelper>().DelimitIdentifier(table)}";
            await db.Database.ExecuteSqlRawAsync(drop, cancellationToken).ConfigureAwait(false);
        }
    }

    // Tables an earlier release made that nothing reads now. Dropped rather than left behind, so that a rollback to that
    // release starts them afresh instead of from rows that stopped following the results.
    // alert_check_observations: the alert rules' copy of each check's streak and records, now kept on check_states.
    internal static readonly string[] RetiredTables = ["alert_check_observations"];

    /// <summary>Adds to each table of the model the columns it lacks; a table made by this start has them all.</summary>
    /// <exception cref="InvalidOperationException">A missing column cannot be null: the rows already there would have no value for it.</exception>
    private static async Task AddMissingColumnsAsync(DbContext db, CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            var existing = await ColumnsOfAsync(db, table, cancellationToken).ConfigureAwait(false);
            foreach (var column in table.Columns.Where(c => !existing.Contains(c.Name)))
            {
                if (!column.IsNullable)
                {
                    throw new InvalidOperationException($"The table {table.Name} lacks the column {column.Name}, which cannot be null: it cannot be added to the rows already there without a migration.");
                }

                var add = $"ALTER TABLE {sql.DelimitIdentifier(table.Name, table.Schema)} ADD COLUMN {sql.DelimitIdentifier(column.Name)} {column.StoreType} NULL";
                await db.Database.ExecuteSqlRawAsync(add, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<HashSet<string>> ColumnsOfAsync(DbContext db, ITable table, CancellationToken cancellationToken)
    {
        var names = db.Database.IsSqlite()
            ? db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info({0})", table.Name)
            : table.Schema is null
                ? db.Database.SqlQueryRaw<string>("SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = {0} AND table_schema = current_schema()", table.Name)
                : db.Database.SqlQueryRaw<string>("SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = {0} AND table_schema = {1}", table.Name, table.Schema);
        return [.. await names.ToListAsync(cancellationToken).ConfigureAwait(false)];
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
