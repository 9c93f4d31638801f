using Microsoft.Data.Sqlite;

namespace Deliverability.Core.Storage;

/// <summary>Where results are stored. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Used when <see cref="ConnectionString"/> is empty and the provider is SQLite.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/monitor.db";

    /// <summary><c>Sqlite</c> (default, an embedded file) or <c>Postgres</c>; compared without regard to case.</summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    /// <summary>Empty means the SQLite default <c>data/monitor.db</c>; required for PostgreSQL.</summary>
    public string ConnectionString { get; set; } = "";

    public RetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// Apply the schema migrations at start (under a lock on PostgreSQL, so nodes starting together take turns). False
    /// for operators who apply them with <c>monitor db migrate</c>: the service then refuses to start on a database
    /// that lacks one.
    /// </summary>
    public bool MigrateAtStart { get; set; } = true;

    /// <summary>The provider, or null when <see cref="Provider"/> names none we know.</summary>
    public StorageProvider? ParsedProvider =>
        Enum.TryParse<StorageProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider : null;

    /// <summary>
    /// The connection string to open. A relative SQLite file path is made absolute against <paramref name="baseDirectory"/>,
    /// so the service and its job store open the same file whatever the working directory of a later call.
    /// </summary>
    public string EffectiveConnectionString(string baseDirectory)
    {
        if (ParsedProvider != StorageProvider.Sqlite)
        {
            return ConnectionString;
        }

        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(ConnectionString) ? DefaultSqliteConnectionString : ConnectionString);
        if (builder.DataSource.Length > 0 && builder.DataSource != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory);
        }

        return builder.ToString();
    }

    /// <summary>The SQLite file of a connection string, or null for PostgreSQL or an in-memory database.</summary>
    public static string? SqliteFile(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return source.Length == 0 || source == ":memory:" || source.StartsWith("file:", StringComparison.Ordinal) ? null : source;
    }
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>How much history of changes is kept: whichever bound is reached first removes the oldest rows.</summary>
public sealed class RetentionOptions
{
    /// <summary>Changes older than this many days are removed.</summary>
    public int HistoryDays { get; set; } = 90;

    /// <summary>At most this many changes are kept for each check of each domain.</summary>
    public int MaxHistoryPerCheck { get; set; } = 1000;
}
