using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using Deliverability.Core.Storage;

namespace Deliverability.Migrations;

/// <summary>
/// Adopts a database made before migrations, when each start created the model's missing tables, indexes and nullable
/// columns with IF NOT EXISTS: it has some of the baseline's tables and no migrations history. The statements bring it
/// to the baseline the same way (missing tables and indexes created, missing nullable columns added, retired tables
/// dropped; no row touched) and record the baseline as applied, so that the later migrations apply on top.
/// </summary>
internal static class LegacyAdoption
{
    /// <summary>The statements to run before migrating, or none when the database is new or already has a history.</summary>
    /// <exception cref="InvalidOperationException">A table lacks a column that cannot be null.</exception>
    public static async Task<IReadOnlyList<string>> StatementsAsync(DbContext db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (await history.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var migrations = db.GetService<IMigrationsAssembly>();
        var (baselineId, baselineType) = migrations.Migrations.First();
        var baseline = migrations.CreateMigration(baselineType, db.Database.ProviderName!);
        var tables = baseline.UpOperations.OfType<CreateTableOperation>().ToList();
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
            return [];
        }

        var statements = new List<string>();
        var sql = db.GetService<ISqlGenerationHelper>();
        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(baseline.UpOperations))
        {
            statements.AddRange(MonitorDatabase.IdempotentCreateStatements(command.CommandText));
        }

        foreach (var table in tables.Where(t => existing.ContainsKey(t.Name)))
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

        statements.AddRange(MonitorDatabase.RetiredTables.Select(t => $"DROP TABLE IF EXISTS {sql.DelimitIdentifier(t)}"));
        statements.Add(history.GetCreateIfNotExistsScript());
        statements.Add(history.GetInsertScript(new HistoryRow(baselineId, ProductInfo.GetVersion())));
        return statements;
    }

    private static async Task<HashSet<string>> ColumnsOfAsync(DbContext db, string table, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return [.. await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info({0})", table).ToListAsync(cancellationToken).ConfigureAwait(false)];
        }

        return [.. await db.Database.SqlQueryRaw<string>("SELECT column_name AS \"Value\" FROM information_schema.columns WHERE table_name = {0} AND table_schema = current_schema()", table).ToListAsync(cancellationToken).ConfigureAwait(false)];
    }
}
