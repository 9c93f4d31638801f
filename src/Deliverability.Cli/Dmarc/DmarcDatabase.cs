using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Deliverability.Core.Configuration;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.Storage;
using Deliverability.Migrations;

namespace Deliverability.Cli.Dmarc;

/// <summary>
/// The database <c>monitor dmarc</c> stores reports in, found as the service finds its own: <c>--database FILE</c> (a
/// SQLite file), else the <c>Storage</c> section of <c>--config</c> (default <c>appsettings.json</c> in the current folder,
/// environment variables such as <c>Storage__Provider</c> overriding it; a relative SQLite file resolved against the
/// file's folder, as the service resolves it against its content root), else the service's default,
/// <c>data/monitor.db</c> under the current folder.
/// </summary>
internal sealed record DmarcDatabase(StorageProvider Provider, string ConnectionString, string Description)
{
    public const string DefaultConfigFile = "appsettings.json";

    /// <summary>The database, or the one-line reason the options do not name one.</summary>
    public static (DmarcDatabase? Database, string? Error) Resolve(string? databaseFile, string? configFile)
    {
        if (databaseFile is not null)
        {
            var path = Path.GetFullPath(databaseFile);
            return (new DmarcDatabase(StorageProvider.Sqlite, $"Data Source={path}", $"SQLite {path}"), null);
        }

        var (configuration, file, problem) = Settings(configFile);
        if (configuration is null)
        {
            return (null, problem);
        }

        var storage = ConfigurationBinding.Bind<StorageOptions>(configuration.GetSection(StorageOptions.SectionName), out _);
        if (storage.ParsedProvider is not { } provider)
        {
            return (null, $"{StorageOptions.SectionName}:Provider: '{storage.Provider}' is not a storage provider (Sqlite or Postgres)");
        }

        if (provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return (null, $"{StorageOptions.SectionName}:ConnectionString: required for PostgreSQL");
        }

        var connectionString = storage.EffectiveConnectionString(Path.GetDirectoryName(file)!);
        var description = provider == StorageProvider.Sqlite ? $"SQLite {StorageOptions.SqliteFile(connectionString) ?? connectionString}" : "PostgreSQL (Storage:ConnectionString)";
        return (new DmarcDatabase(provider, connectionString, description), null);
    }

    /// <summary>
    /// The report limits of the settings file (<c>Monitor:DmarcReports:Limits</c>, as the service binds them; defaults
    /// when the file has none), or the one-line reason they cannot be used.
    /// </summary>
    public static (ReportLimits? Limits, string? Error) Limits(string? configFile)
    {
        var (configuration, _, problem) = Settings(configFile);
        if (configuration is null)
        {
            return (null, problem);
        }

        var limits = ConfigurationBinding.Bind<ReportLimits>(configuration.GetSection(ReportLimits.SectionName), out var unreadable);
        var problems = unreadable.Concat(limits.Problems()).ToList();
        return problems.Count == 0 ? (limits, null) : (null, string.Join("; ", problems));
    }

    /// <summary>The settings file (optional unless named) with environment variables over it, as the service reads them.</summary>
    private static (IConfiguration? Configuration, string File, string? Error) Settings(string? configFile)
    {
        var file = Path.GetFullPath(configFile ?? DefaultConfigFile);
        if (configFile is not null && !File.Exists(file))
        {
            return (null, file, $"--config: the settings file '{file}' does not exist");
        }

        try
        {
            return (new ConfigurationBuilder().AddJsonFile(file, optional: true).AddEnvironmentVariables().Build(), file, null);
        }
        catch (InvalidDataException ex)
        {
            return (null, file, $"--config: '{file}' is not a JSON settings file: {ex.Message}");
        }
    }

    /// <summary>Whether there is anything to read: a SQLite file that does not exist has no reports.</summary>
    public bool MayExist => Provider != StorageProvider.Sqlite || StorageOptions.SqliteFile(ConnectionString) is not { } file || File.Exists(file);

    public IDbContextFactory<MonitorDbContext> Contexts() =>
        new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), Provider, ConnectionString).Options);

    /// <summary>Creates the database or applies the migrations it lacks, as the service does when it starts.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => DatabaseMigrator.MigrateAsync(Provider, ConnectionString, cancellationToken);
}
