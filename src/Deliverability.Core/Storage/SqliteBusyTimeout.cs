using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Deliverability.Core.Storage;

/// <summary>
/// Lets SQLite itself wait for another connection's write lock (<c>PRAGMA busy_timeout</c>: it retries within a few
/// milliseconds of the lock's release). Without it Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms,
/// so the webhook writer and the rollup processor, each holding the lock for milliseconds, stalled each other for
/// 150 ms at a time.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    // Under the 30 s command timeout: past it the statement fails as before.
    private const string Pragma = "PRAGMA busy_timeout = 20000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
