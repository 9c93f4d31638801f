using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Deliverability.Core.Configuration;
using Deliverability.Core.Storage;
using Deliverability.Migrations;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor db migrate [--script] [--config file]</c>: applies the schema migrations to the service's database (the
/// <c>Storage</c> section of its settings file and environment), or prints the SQL they would run. For operators who set
/// <c>Storage:MigrateAtStart</c> to false. Exit code 0 done, 1 the database refused or could not be reached, 2 bad
/// usage or settings.
/// </summary>
public static class DbCommand
{
    public const int DatabaseFailed = 1;

    private const string DefaultConfigFile = "appsettings.json";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var script = new Option<bool>("--script") { Description = "Print the SQL instead of running it: adoption of a database made before migrations, then each migration not applied yet" };
        var config = new Option<string?>("--config")
        {
            Description = $"The service's settings file (JSON) with its Storage section; default: {DefaultConfigFile} in the current folder when there is one. Environment variables (Storage__ConnectionString) apply over it",
        };
        var migrate = new Command("migrate", "Bring the database to the latest schema (both the monitor's and the sign-in tables). "
            + "A database made before migrations is adopted without loss. Exit code 0 done, 1 database error, 2 bad usage or settings.");
        migrate.Options.Add(script);
        migrate.Options.Add(config);
        migrate.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            if (!TryLoad(parsed.GetValue(config), out var provider, out var connectionString, out var problem))
            {
                await stderr.WriteLineAsync($"error: {problem}");
                return MonitorCli.UsageError;
            }

            try
            {
                if (parsed.GetValue(script))
                {
                    await stdout.WriteAsync(await DatabaseMigrator.ScriptAsync(provider, connectionString, cancellationToken));
                    return 0;
                }

                var pending = await DatabaseMigrator.PendingAsync(provider, connectionString, cancellationToken);
                await DatabaseMigrator.MigrateAsync(provider, connectionString, cancellationToken);
                await stdout.WriteLineAsync(pending.Count == 0 ? "The database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
                return 0;
            }
            catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
            {
                var reason = ex;
                while (reason.InnerException is not null)
                {
                    reason = reason.InnerException;
                }

                await stderr.WriteLineAsync($"error: {Describe(provider, connectionString)}: {reason.Message}");
                return DatabaseFailed;
            }
        });

        var command = new Command("db", "The service's database schema.");
        command.Subcommands.Add(migrate);
        return command;
    }

    private static bool TryLoad(string? file, out StorageProvider provider, out string connectionString, out string problem)
    {
        provider = StorageProvider.Sqlite;
        connectionString = "";
        var builder = new ConfigurationBuilder();
        var baseFolder = Environment.CurrentDirectory;
        var path = Path.GetFullPath(file ?? DefaultConfigFile);
        if (File.Exists(path))
        {
            builder.AddJsonFile(path, optional: false);
            baseFolder = Path.GetDirectoryName(path)!;
        }
        else if (file is not null)
        {
            problem = $"--config: the settings file '{path}' does not exist";
            return false;
        }

        try
        {
            var configuration = builder.AddEnvironmentVariables().Build();
            var storage = ConfigurationBinding.Bind<StorageOptions>(configuration.GetSection(StorageOptions.SectionName), out var conversion);
            if (conversion.Count > 0)
            {
                problem = conversion[0];
                return false;
            }

            if (storage.ParsedProvider is not { } parsedProvider)
            {
                problem = $"{StorageOptions.SectionName}:Provider: '{storage.Provider}' is neither Sqlite nor Postgres";
                return false;
            }

            provider = parsedProvider;
            connectionString = storage.EffectiveConnectionString(baseFolder);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                problem = $"{StorageOptions.SectionName}:ConnectionString: required for PostgreSQL";
                return false;
            }

            _ = provider == StorageProvider.Postgres ? new NpgsqlConnectionStringBuilder(connectionString) : null;
            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException or JsonException)
        {
            // The message of a bad connection string names the bad keyword, never the value (it may hold a password).
            problem = $"{StorageOptions.SectionName}: {ex.Message}";
            return false;
        }
    }

    /// <summary>The server or file, never the connection string itself (it may hold a password).</summary>
    private static string Describe(StorageProvider provider, string connectionString)
    {
        if (provider == StorageProvider.Postgres)
        {
            var connection = new NpgsqlConnectionStringBuilder(connectionString);
            return $"the PostgreSQL database '{connection.Database}' on {connection.Host}:{connection.Port}";
        }

        return $"the SQLite database file '{StorageOptions.SqliteFile(connectionString)}'";
    }
}
