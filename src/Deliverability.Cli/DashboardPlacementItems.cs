using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Npgsql;

namespace Deliverability.Cli;

/// <summary>The settings of a CLI run: the file's, then those added in the dashboard; what was left out; or why the database could not be read.</summary>
internal sealed record PlacementRunSettings(PlacementOptions Options, IReadOnlyList<string> Warnings, string? Error);

/// <summary>
/// The seeds and send paths added in the service's dashboard, read from the database the settings file's
/// <c>Storage</c> section names (resolved as the service resolves it: a relative SQLite file against the file's folder)
/// and merged after the configured ones by the service's own <see cref="PlacementCatalog"/>, so that the CLI runs the
/// same set as the service. Reads only: it never creates the database or its tables.
/// </summary>
internal static class DashboardPlacementItems
{
    public static async Task<PlacementRunSettings> MergeAsync(PlacementOptions configured, IConfiguration configuration, string settingsFile, IDataProtectionProvider protection, string keysFolder, CancellationToken cancellationToken)
    {
        var storage = ConfigurationBinding.Bind<StorageOptions>(configuration.GetSection(StorageOptions.SectionName), out _);
        if (storage.ParsedProvider is not { } provider)
        {
            return new(configured, [], $"{StorageOptions.SectionName}:Provider: '{storage.Provider}' is not a storage provider (Sqlite or Postgres)");
        }

        var connectionString = storage.EffectiveConnectionString(Path.GetDirectoryName(settingsFile)!);
        if (provider == StorageProvider.Sqlite && (StorageOptions.SqliteFile(connectionString) is not { } file || !File.Exists(file)))
        {
            return new(configured, [], null); // the service never stored anything there: nothing was added in its dashboard
        }

        try
        {
            var options = (DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), provider, connectionString).Options;
            var catalog = new PlacementCatalog(new FixedOptions(configured), new PooledDbContextFactory<MonitorDbContext>(options), protection, TimeProvider.System);
            // Read once: the warnings and the run's settings come from the same rows.
            var seeds = await catalog.GetSeedsAsync(cancellationToken);
            var paths = await catalog.GetSendPathsAsync(cancellationToken);
            var warnings = new List<string>();
            warnings.AddRange(seeds.Where(s => s.PasswordUnreadable)
                .Select(s => $"the seed {s.Seed.Address} added in the dashboard is left out: its IMAP password cannot be decrypted with the keys in {keysFolder} (--keys, or Secrets:KeysFolder of the settings file)"));
            warnings.AddRange(paths.Where(p => p.PasswordUnreadable)
                .Select(p => $"the send path {p.Path.Name} added in the dashboard is left out: its SMTP password cannot be decrypted with the keys in {keysFolder} (--keys, or Secrets:KeysFolder of the settings file)"));
            return new(PlacementCatalog.RunOptions(configured, seeds, paths), warnings, null);
        }
        catch (Exception ex) when (IsMissingTable(ex))
        {
            return new(configured, [], null); // a database of a release without dashboard settings
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException)
        {
            return new(configured, [], $"{StorageOptions.SectionName}: the seeds and send paths added in the dashboard cannot be read from the {provider} database of {settingsFile}: {Innermost(ex)}");
        }
    }

    private static bool IsMissingTable(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 1 } sqlite => sqlite.Message.Contains("no such table", StringComparison.Ordinal),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UndefinedTable,
        _ => ex.InnerException is { } inner && IsMissingTable(inner),
    };

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.Split('\n', 2)[0].Trim();
    }

    /// <summary>The settings file's section, as the service's options would give it.</summary>
    private sealed class FixedOptions(PlacementOptions value) : IOptionsMonitor<PlacementOptions>
    {
        public PlacementOptions CurrentValue => value;

        public PlacementOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PlacementOptions, string?> listener) => null;
    }
}
