using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Deliverability.Core.SignIn;
using Deliverability.Core.Storage;

namespace Deliverability.Migrations;

/// <summary>
/// The contexts that own the migrations: one per model and provider, so that each provider keeps its own migration set
/// (column types differ). Their models are the application's (<see cref="MonitorDbContext"/>, <see cref="SignInDbContext"/>);
/// only the migrations are looked up by these types.
/// </summary>
public static class SchemaContexts
{
    /// <summary>The monitor's migrations history table; the sign-in's has its own, as the two share the database.</summary>
    public const string MonitorHistoryTable = "__monitor_migrations";

    public const string SignInHistoryTable = "__signin_migrations";

    /// <summary>A context of each model on <paramref name="provider"/>, in the order they are migrated.</summary>
    /// <remarks>Lazy: each is made when the caller reaches it, and the caller disposes it.</remarks>
    public static IEnumerable<DbContext> All(StorageProvider provider, string connectionString) => Factories(provider, connectionString).Select(create => create());

    /// <summary>
    /// How to make a context of each model, for a caller that needs a fresh one per step: a context caches whether its
    /// history table exists, so the one that adopted a database must not be the one that migrates it.
    /// </summary>
    public static IReadOnlyList<Func<DbContext>> Factories(StorageProvider provider, string connectionString) =>
    [
        () => Monitor(provider, connectionString),
        () => provider == StorageProvider.Postgres
            ? new PostgresSignInDbContext(Options<PostgresSignInDbContext>(provider, connectionString, SignInHistoryTable))
            : new SqliteSignInDbContext(Options<SqliteSignInDbContext>(provider, connectionString, SignInHistoryTable)),
    ];

    public static DbContext Monitor(StorageProvider provider, string connectionString) => provider == StorageProvider.Postgres
        ? new PostgresMonitorDbContext(Options<PostgresMonitorDbContext>(provider, connectionString, MonitorHistoryTable))
        : new SqliteMonitorDbContext(Options<SqliteMonitorDbContext>(provider, connectionString, MonitorHistoryTable));

    internal static DbContextOptions<TContext> Options<TContext>(StorageProvider provider, string connectionString, string historyTable)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        _ = provider == StorageProvider.Postgres
            ? builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(historyTable))
            : builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(historyTable));
        return builder.Options;
    }

    // dotnet ef needs no database to add a migration: these connection strings are never opened.
    internal const string DesignSqlite = "Data Source=design.db";
    internal const string DesignPostgres = "Host=127.0.0.1;Database=monitor";
}

public sealed class SqliteMonitorDbContext(DbContextOptions<SqliteMonitorDbContext> options) : MonitorDbContext(options);

public sealed class PostgresMonitorDbContext(DbContextOptions<PostgresMonitorDbContext> options) : MonitorDbContext(options);

public sealed class SqliteSignInDbContext(DbContextOptions<SqliteSignInDbContext> options) : SignInDbContext(options);

public sealed class PostgresSignInDbContext(DbContextOptions<PostgresSignInDbContext> options) : SignInDbContext(options);

internal sealed class SqliteMonitorDesignFactory : IDesignTimeDbContextFactory<SqliteMonitorDbContext>
{
    public SqliteMonitorDbContext CreateDbContext(string[] args) =>
        new(SchemaContexts.Options<SqliteMonitorDbContext>(StorageProvider.Sqlite, SchemaContexts.DesignSqlite, SchemaContexts.MonitorHistoryTable));
}

internal sealed class PostgresMonitorDesignFactory : IDesignTimeDbContextFactory<PostgresMonitorDbContext>
{
    public PostgresMonitorDbContext CreateDbContext(string[] args) =>
        new(SchemaContexts.Options<PostgresMonitorDbContext>(StorageProvider.Postgres, SchemaContexts.DesignPostgres, SchemaContexts.MonitorHistoryTable));
}

internal sealed class SqliteSignInDesignFactory : IDesignTimeDbContextFactory<SqliteSignInDbContext>
{
    public SqliteSignInDbContext CreateDbContext(string[] args) =>
        new(SchemaContexts.Options<SqliteSignInDbContext>(StorageProvider.Sqlite, SchemaContexts.DesignSqlite, SchemaContexts.SignInHistoryTable));
}

internal sealed class PostgresSignInDesignFactory : IDesignTimeDbContextFactory<PostgresSignInDbContext>
{
    public PostgresSignInDbContext CreateDbContext(string[] args) =>
        new(SchemaContexts.Options<PostgresSignInDbContext>(StorageProvider.Postgres, SchemaContexts.DesignPostgres, SchemaContexts.SignInHistoryTable));
}
