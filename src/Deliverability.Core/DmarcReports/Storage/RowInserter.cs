using System.Data.Common;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Deliverability.Core.DmarcReports.Storage;

/// <summary>
/// Inserts many rows of one mapped type in the context's open transaction with one INSERT command reused for every
/// row (SQLite) or every 100 rows (PostgreSQL, where a round trip costs more than binding). EF Core's SaveChanges
/// managed about 700 rows a second on SQLite here, and Microsoft.Data.Sqlite binds named parameters in time quadratic
/// in their number, so a multi-row statement does not help there; a report of a million records needs tens of
/// thousands a second. Table, columns and value conversions come from the EF model, so EF reads the rows back as usual.
/// </summary>
internal sealed class RowInserter<TRow> : IAsyncDisposable
    where TRow : class
{
    private readonly DbContext _db;
    private readonly string _table;
    private readonly (string Column, PropertyInfo Getter, ValueConverter? Converter)[] _columns;
    private readonly int _rowsPerStatement;
    private readonly List<TRow> _pending = [];
    private DbCommand? _full;

    public RowInserter(DbContext db)
    {
        _db = db;
        _rowsPerStatement = db.Database.IsSqlite() ? 1 : 100;
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not mapped.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _table = sql.DelimitIdentifier(table.Name, table.Schema);
        _columns = [.. entity.GetProperties()
            .Where(p => !p.IsPrimaryKey())
            .Select(p => (sql.DelimitIdentifier(p.GetColumnName(table)!), p.PropertyInfo!, p.GetTypeMapping().Converter))];
    }

    public async Task AddAsync(TRow row, CancellationToken cancellationToken)
    {
        _pending.Add(row);
        if (_pending.Count == _rowsPerStatement)
        {
            _full ??= Command(_rowsPerStatement);
            await ExecuteAsync(_full, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the rows still pending (fewer than a full statement).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await using var command = Command(_pending.Count);
        await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var parameter = 0;
        foreach (var row in _pending)
        {
            foreach (var (_, getter, converter) in _columns)
            {
                var value = getter.GetValue(row);
                command.Parameters[parameter++].Value = (value is null ? null : converter is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _pending.Clear();
    }

    private DbCommand Command(int rows)
    {
        var command = _db.Database.GetDbConnection().CreateCommand();
        command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Rows are inserted inside the report's transaction.");
        var text = new StringBuilder($"INSERT INTO {_table} ({string.Join(", ", _columns.Select(c => c.Column))}) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < _columns.Length; column++)
            {
                var name = $"@p{row}_{column}";
                text.Append(column == 0 ? name : ", " + name);
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            text.Append(')');
        }

        // Not prepared explicitly: Microsoft.Data.Sqlite keeps a command's statement prepared between executions, and
        // Npgsql cannot prepare before it knows the parameters' types.
        command.CommandText = text.ToString();
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync().ConfigureAwait(false);
        }
    }
}
