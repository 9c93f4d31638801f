using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using Deliverability.Core.Storage;

namespace Deliverability.Migrations;

/// <summary>
/// Adopts a database made before migrations, when each start created the model's missing tables, indexes and nullable
/// columns with IF NOT EXISTS: it has the tables of the release that made it and no migrations history. The baseline,
/// and each later migration that only creates tables of which the database already has some (a release before
/// migrations made them), are brought about the same way (missing tables and indexes created, missing nullable columns
/// added, retired tables dropped; no row touched) and recorded as applied, so that the remaining migrations apply on top.
/// </summary>
internal static partial class LegacyAdoption
{
    // Tables an earlier release made that nothing reads now. Dropped rather than left behind, so that a rollback to that
    // release starts them afresh instead of from rows that stopped following the results.
    // alert_check_observations: the alert rules' copy of each check's streak and records, now kept on check_states.
    internal static readonly string[] RetiredTables = ["alert_check_observations"];

    /// <summary>
    /// The statements to run before migrating and the last migration they record as applied; none when the database is
    /// new or already has a history.
    /// </summary>
    /// <exception cref="InvalidOperationException">A table lacks a column that cannot be null.</exception>
    public static async Task<Adoption> PlanAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (await HistoryExistsAsync(db, cancellationToken).ConfigureAwait(false))
        {
            return Adoption.None;
        }

        var adopted = await AdoptedMigrationsAsync(db, cancellationToken).ConfigureAwait(false);
        if (adopted.Count == 0)
        {
            return Adoption.None;
        }

        var statements = new List<string>();
        var sql = db.GetService<ISqlGenerationHelper>();
        var generator = db.GetService<IMigrationsSqlGenerator>();
        foreach (var (_, operations, existing) in adopted)
        {
            foreach (var command in generator.Generate(operations))
            {
                statements.AddRange(IdempotentCreateStatements(command.CommandText));
            }

            foreach (var table in operations.OfType<CreateTableOperation>().Where(t => existing.ContainsKey(t.Name)))
            {
                foreach (var column in table.Columns.Where(c => !existing[table.Name].Contains(c.Name)))
                {
                    if (!column.IsNullable)
                    {
                        throw new InvalidOperationException($"The table {table.Name} lacks the column {column.Name}, which cannot be null: the database is older than the releases that can be adopted; start the release before migrations once to bring it up to date.");
                    }

                    statements.Add($"ALTER TABLE {sql.DelimitIdentifier(table.Name)} ADD COLUMN {sql.DelimitIdentifier(column.Name)} {column.ColumnType} NULL");
                }
            }
        }

        var history = db.GetService<IHistoryRepository>();
        statements.AddRange(RetiredTables.Select(t => $"DROP TABLE IF EXISTS {sql.DelimitIdentifier(t)}"));
        statements.Add(history.GetCreateIfNotExistsScript());
        statements.AddRange(adopted.Select(m => history.GetInsertScript(new HistoryRow(m.Id, ProductInfo.GetVersion()))));
        return new Adoption(statements, adopted[^1].Id);
    }

    /// <summary>
    /// The migrations a release before migrations brought about, in order: the baseline when any of its tables exists,
    /// then each next one that only creates tables and indexes while some of its tables exist. The first that does not
    /// qualify ends the list: what follows is applied as a migration.
    /// </summary>
    private static async Task<List<AdoptedMigration>> AdoptedMigrationsAsync(DbContext db, CancellationToken cancellationToken)
    {
        var migrations = db.GetService<IMigrationsAssembly>();
        var adopted = new List<AdoptedMigration>();
        foreach (var (id, type) in migrations.Migrations)
        {
            var operations = migrations.CreateMigration(type, db.Database.ProviderName!).UpOperations;
            if (!operations.All(o => o is CreateTableOperation or CreateIndexOperation))
            {
                break;
            }

            var tables = operations.OfType<CreateTableOperation>().ToList();
            var existing = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                var columns = await ColumnsOfAsync(db, table.Name, cancellationToken).ConfigureAwait(false);
                if (columns.Count > 0)
                {
                    existing[table.Name] = columns;
                }
            }

            if (existing.Count == 0)
            {
                break;
            }

            adopted.Add(new AdoptedMigration(id, operations, existing));
        }

        return adopted;
    }

    // Npgsql's history repository always answers that its table exists (it catches the missing table when reading
    // instead), so ask the catalog: to_regclass resolves the name by the search path, as the migrations' statements do.
    private static async Task<bool> HistoryExistsAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        var table = RelationalOptionsExtension.Extract(db.GetService<IDbContextOptions>()).MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName;
        var name = db.GetService<ISqlGenerationHelper>().DelimitIdentifier(table);
        var found = await db.Database.SqlQueryRaw<bool>("SELECT to_regclass({0}) IS NOT NULL AS \"Value\"", name).ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.Single();
    }

    private static async Task<HashSet<string>> ColumnsOfAsync(DbContext db, string table, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return [.. await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info({0})", table).ToListAsync(cancellationToken).ConfigureAwait(false)];
        }

        return [.. await db.Database.SqlQueryRaw<string>("SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = {0} AND table_schema = current_schema()", table).ToListAsync(cancellationToken).ConfigureAwait(false)];
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

    private sealed record AdoptedMigration(string Id, IReadOnlyList<MigrationOperation> Operations, Dictionary<string, HashSet<string>> Existing);
}

/// <summary>What adopting a database takes: the statements, and the last migration they record as applied.</summary>
internal sealed record Adoption(IReadOnlyList<string> Statements, string? LastAdopted)
{
    public static readonly Adoption None = new([], null);
}
