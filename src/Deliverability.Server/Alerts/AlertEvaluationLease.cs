using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;
using Npgsql;

namespace Deliverability.Server.Alerts;

/// <summary>
/// Which node evaluates the alerts: on PostgreSQL the one holding a session advisory lock, taken on a connection kept
/// open for as long as the node holds it. When the node dies its session ends, the lock is free, and the next node to
/// try takes it at its next evaluation interval. On SQLite (one node) this node always evaluates.
/// </summary>
public sealed partial class AlertEvaluationLease(IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<AlertEvaluationLease> logger) : IAsyncDisposable
{
    // Another number than the schema lock's: "ALERTS" in ASCII.
    private const long LeaseKey = 0x414C45525453;
    private NpgsqlConnection? _connection;

    /// <summary>Whether this node evaluates now: keeps the lease it holds, or takes it when it is free.</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        var options = storage.Value;
        if (options.ParsedProvider != StorageProvider.Postgres)
        {
            return true;
        }

        if (_connection is not null)
        {
            try
            {
                // The lock lives as long as the session: a session that still answers still holds it.
                await using var check = new NpgsqlCommand("SELECT 1", _connection);
                await check.ExecuteScalarAsync(cancellationToken);
                return true;
            }
            catch (NpgsqlException)
            {
                LogLeaseLost();
                await ReleaseAsync();
            }
        }

        var connection = new NpgsqlConnection(options.EffectiveConnectionString(environment.ContentRootPath));
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", LeaseKey);
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                _connection = connection;
                LogLeaseTaken();
                return true;
            }
        }
        catch (NpgsqlException ex)
        {
            LogLeaseUnavailable(ex.Message);
        }

        await connection.DisposeAsync();
        return false;
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();

    private async Task ReleaseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now evaluates the alerts (it holds the alert evaluation lease)")]
    private partial void LogLeaseTaken();

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the alert evaluation lease (its database session ended); another node takes over")]
    private partial void LogLeaseLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try the alert evaluation lease: {Reason}")]
    private partial void LogLeaseUnavailable(string reason);
}
