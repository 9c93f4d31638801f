using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;
using Npgsql;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// Which node does a piece of background work that must run on one node at a time: on PostgreSQL the one holding a
/// session advisory lock, taken on a connection kept open for as long as the node holds it. When the node dies its
/// session ends, the lock is free, and the next node to try takes it. On SQLite (one node) this node always holds it.
/// </summary>
public sealed partial class ClusterLease(string name, long key, IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<ClusterLease> logger) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    /// <summary>What the lease is for, as the log says it.</summary>
    public string Name => name;

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
                LogLeaseLost(name);
                await ReleaseAsync();
            }
        }

        var connection = new NpgsqlConnection(options.EffectiveConnectionString(environment.ContentRootPath));
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", key);
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                _connection = connection;
                LogLeaseTaken(name);
                return true;
            }
        }
        catch (NpgsqlException ex)
        {
            LogLeaseUnavailable(name, ex.Message);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now holds the {Lease} lease")]
    private partial void LogLeaseTaken(string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the {Lease} lease (its database session ended); another node takes over")]
    private partial void LogLeaseLost(string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try the {Lease} lease: {Reason}")]
    private partial void LogLeaseUnavailable(string lease, string reason);
}

/// <summary>The leases of the background work that runs on one node of a cluster at a time.</summary>
public static class ClusterLeases
{
    /// <summary>The alert engine's evaluations.</summary>
    public const string AlertEvaluation = "alert evaluation";

    /// <summary>The readers of the DMARC and TLS-RPT report mailboxes.</summary>
    public const string DmarcMailboxes = "DMARC report mailboxes";

    /// <summary>
    /// Adds the lease <paramref name="name"/> as a keyed singleton (resolve it with <c>[FromKeyedServices(name)]</c>);
    /// <paramref name="key"/> is its advisory lock number, different from every other lock's.
    /// </summary>
    public static IServiceCollection AddClusterLease(this IServiceCollection services, string name, long key) =>
        services.AddKeyedSingleton(name, (sp, _) => new ClusterLease(
            name, key, sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<ClusterLease>>()));
}
