using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Ingest;

/// <summary>
/// Multi-row <c>INSERT ... ON CONFLICT (Provider, Source, ProviderEventId) DO NOTHING</c> on SQLite and PostgreSQL alike:
/// a provider's retry, or a duplicate inside one batch, is skipped and the rest of the batch is stored. Column names and
/// value conversions come from the EF model, so the statement follows the mapping.
/// </summary>
internal sealed class SendEventInsert
{
    /// <summary>Rows a statement: 17 parameters each stays far under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    public const int RowsPerStatement = 500;

    private static readonly ConcurrentDictionary<(string Provider, int Rows), string> Statements = new();
    private readonly IReadOnlyList<(IProperty Property, ValueConverter? Converter, Func<SendEventRow, object?> Get)> _columns;
    private readonly string _provider;
    private readonly Func<int, string> _build;

    public SendEventInsert(MonitorDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(SendEventRow))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _provider = db.Database.ProviderName ?? "";
        _columns = [.. entity.GetProperties().Where(p => p.Name != nameof(SendEventRow.Id)).Select(p => (p, p.GetTypeMapping().Converter, Getter(p.Name)))];
        var columnList = string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
        var key = string.Join(", ", new[] { nameof(SendEventRow.Provider), nameof(SendEventRow.Source), nameof(SendEventRow.ProviderEventId) }
            .Select(n => sql.DelimitIdentifier(entity.FindProperty(n)!.GetColumnName(table)!)));
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        _build = rows =>
        {
            var values = string.Join(",", Enumerable.Range(0, rows).Select(r => "(" + string.Join(",", _columns.Select((_, c) => $"@p{(r * _columns.Count) + c}")) + ")"));
            return $"INSERT INTO {tableName} ({columnList}) VALUES {values} ON CONFLICT ({key}) DO NOTHING";
        };
    }

    /// <summary>Inserts <paramref name="rows"/> on the open connection in the current transaction; the number actually stored.</summary>
    public async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SendEventRow> rows, CancellationToken cancellationToken)
    {
        // SQLite: one prepared single-row statement run for every row. SQLite looks parameters up by name one after the
        // other, so a 500-row statement of 8,500 parameters costs time in the square of its size to prepare and bind,
        // while a prepared row costs microseconds (no network round trip in between). PostgreSQL: 500 rows a statement.
        var perStatement = _provider.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) ? 1 : RowsPerStatement;
        var stored = 0;
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != count * _columns.Count)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync().ConfigureAwait(false);
                    }

                    command = Command(connection, transaction, count);
                }

                for (var r = 0; r < count; r++)
                {
                    var row = rows[start + r];
                    for (var c = 0; c < _columns.Count; c++)
                    {
                        var (_, converter, get) = _columns[c];
                        // In UTC always: PostgreSQL takes no other offset, and SQLite compares the stored numbers only within one.
                        var value = get(row) is DateTimeOffset time ? time.ToUniversalTime() : get(row);
                        if (value is not null && converter is not null)
                        {
                            value = converter.ConvertToProvider(value);
                        }

                        command.Parameters[(r * _columns.Count) + c].Value = value ?? DBNull.Value;
                    }
                }

                stored += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        return stored;
    }

    private DbCommand Command(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Statements.GetOrAdd((_provider, rows), k => _build(k.Rows));
        for (var p = 0; p < rows * _columns.Count; p++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{p}";
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static Func<SendEventRow, object?> Getter(string name) => name switch
    {
        nameof(SendEventRow.Provider) => r => r.Provider,
        nameof(SendEventRow.Source) => r => r.Source,
        nameof(SendEventRow.ProviderEventId) => r => r.ProviderEventId,
        nameof(SendEventRow.Stream) => r => r.Stream,
        nameof(SendEventRow.SendingDomain) => r => r.SendingDomain,
        nameof(SendEventRow.Kind) => r => r.Kind,
        nameof(SendEventRow.OccurredAt) => r => r.OccurredAt,
        nameof(SendEventRow.ReceivedAt) => r => r.ReceivedAt,
        nameof(SendEventRow.RecipientHash) => r => r.RecipientHash,
        nameof(SendEventRow.RecipientDomain) => r => r.RecipientDomain,
        nameof(SendEventRow.MailboxProvider) => r => r.MailboxProvider,
        nameof(SendEventRow.SmtpCode) => r => r.SmtpCode,
        nameof(SendEventRow.EnhancedStatus) => r => r.EnhancedStatus,
        nameof(SendEventRow.Diagnostic) => r => r.Diagnostic,
        nameof(SendEventRow.MessageId) => r => r.MessageId,
        nameof(SendEventRow.DeliveryLatencyMs) => r => r.DeliveryLatencyMs,
        nameof(SendEventRow.Critical) => r => r.Critical,
        nameof(SendEventRow.ProcessedAt) => r => r.ProcessedAt,
        _ => throw new InvalidOperationException($"send_events has a column {name} the insert does not know"),
    };
}
