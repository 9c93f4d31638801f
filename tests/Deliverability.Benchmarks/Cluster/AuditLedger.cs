using Deliverability.Benchmarks.Zones;
using Npgsql;

namespace Deliverability.Benchmarks.Cluster;

/// <summary>PostgreSQL's counters for the benchmark's database at one moment (<c>pg_stat_database</c>, <c>pg_database_size</c>).</summary>
public sealed record DatabaseCounters(long XactCommit, long XactRollback, long TupInserted, long TupUpdated, long TupDeleted, long TupFetched, long BlocksRead, long BlocksHit, long SizeBytes, long AuditLogRows);

/// <summary>What the ledger holds for one slot of the schedule: audits stored with a CheckedAt in it.</summary>
public sealed record SlotAudits(long Slot, int Audits, int DistinctDomains, int AuditedOnce, DateTimeOffset? LastStored, IReadOnlyDictionary<string, int> ByNode);

/// <summary>
/// The benchmark's own record of every stored audit: a trigger on <c>domain_audits</c> (one row per domain, updated by
/// each audit) appends the domain, its CheckedAt, the node (the connection's Application Name) and the time of the write
/// to <c>bench.audit_log</c>, in a schema of its own. Every audit is counted, even two of one domain a millisecond apart,
/// which polling the latest result could not tell. Its inserts are subtracted from the load figures.
/// </summary>
internal sealed class AuditLedger(string connectionString)
{
    public static async Task CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Installs the log and its trigger; call once the first node has migrated (the table exists).</summary>
    public async Task InstallAsync(CancellationToken cancellationToken) => await ExecuteAsync(
        """
        CREATE SCHEMA IF NOT EXISTS bench;
        CREATE TABLE IF NOT EXISTS bench.audit_log (domain text NOT NULL, checked_at timestamptz NOT NULL, node text NOT NULL, logged_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE OR REPLACE FUNCTION bench.log_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO bench.audit_log (domain, checked_at, node) VALUES (NEW."Domain", NEW."CheckedAt", current_setting('application_name'));
          RETURN NULL;
        END $$;
        DROP TRIGGER IF EXISTS bench_log_audit ON public.domain_audits;
        CREATE TRIGGER bench_log_audit AFTER INSERT OR UPDATE ON public.domain_audits FOR EACH ROW EXECUTE FUNCTION bench.log_audit();
        """,
        cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Stores the domains as if added from the dashboard (<c>added_domains</c>), which every node's audit cycle reads: tens
    /// of thousands of entries in <c>Monitor:Domains</c> slow each node's start (see the README).
    /// </summary>
    public async Task AddDomainsAsync(IReadOnlyList<BenchmarkDomain> domains, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO added_domains ("Name", "DkimSelectors", "SendingIps", "AddedAt", "AddedBy")
            SELECT n, @selector, ip, now(), 'benchmark' FROM unnest(@names, @ips) AS t(n, ip)
            """,
            connection);
        command.Parameters.AddWithValue("selector", BenchmarkDomain.Selector);
        command.Parameters.AddWithValue("names", domains.Select(d => d.Name).ToArray());
        command.Parameters.AddWithValue("ips", domains.Select(d => d.SendingIp.ToString()).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatabaseCounters> CountersAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched, blks_read, blks_hit,
                   pg_database_size(current_database()), (SELECT count(*) FROM bench.audit_log)
            FROM pg_stat_database WHERE datname = current_database()
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DatabaseCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9));
    }

    /// <summary>The audits of one slot so far (CheckedAt in [start, start + interval)).</summary>
    public async Task<SlotAudits> SlotAsync(long slot, TimeSpan interval, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(0) + (interval * slot);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            """
            WITH a AS (SELECT domain, node, logged_at FROM bench.audit_log WHERE checked_at >= @start AND checked_at < @end),
                 d AS (SELECT domain, count(*) AS n FROM a GROUP BY domain)
            SELECT node, count(*), max(logged_at), (SELECT count(*) FROM d), (SELECT count(*) FROM d WHERE n = 1)
            FROM a GROUP BY node
            """,
            connection);
        command.Parameters.AddWithValue("start", start.UtcDateTime);
        command.Parameters.AddWithValue("end", (start + interval).UtcDateTime);
        var byNode = new Dictionary<string, int>(StringComparer.Ordinal);
        var (audits, distinct, once) = (0, 0, 0);
        DateTimeOffset? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = (int)reader.GetInt64(1);
            byNode[reader.GetString(0)] = count;
            audits += count;
            distinct = (int)reader.GetInt64(3);
            once = (int)reader.GetInt64(4);
            var stored = Utc(reader.GetDateTime(2));
            last = last is null || stored > last ? stored : last;
        }

        return new SlotAudits(slot, audits, distinct, once, last, byNode);
    }

    /// <summary>The node that stored the latest audit, or null when none is logged yet.</summary>
    public async Task<string?> LatestNodeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT node FROM bench.audit_log ORDER BY logged_at DESC LIMIT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>The first audit <paramref name="node"/> stored after <paramref name="after"/>: its write time and CheckedAt.</summary>
    public async Task<(DateTimeOffset Stored, DateTimeOffset CheckedAt)?> FirstAuditAfterAsync(string node, DateTimeOffset after, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT logged_at, checked_at FROM bench.audit_log WHERE node = @node AND logged_at > @after ORDER BY logged_at LIMIT 1", connection);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("after", after.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (Utc(reader.GetDateTime(0)), Utc(reader.GetDateTime(1)))
            : null;
    }

    /// <summary>Audits stored with a CheckedAt outside [from, to): before the measured slots, or after them.</summary>
    public async Task<(int Before, int After)> OutsideAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT count(*) FILTER (WHERE checked_at < @from), count(*) FILTER (WHERE checked_at >= @to) FROM bench.audit_log", connection);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
