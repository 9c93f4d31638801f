using System.Data.Common;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;
using Deliverability.Migrations;
using Npgsql;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// Migrates the database (both models; a database made before migrations is adopted), once, before anything reads or
/// writes; with <c>Storage:MigrateAtStart</c> false it only checks that an operator has applied every migration. A
/// database that cannot be reached or opened is a problem naming <c>Storage:ConnectionString</c> and the server or
/// file, never the connection string itself (it may hold a password).
/// </summary>
internal sealed class StorageSchema(IOptions<StorageOptions> options, IHostEnvironment environment) : IStartupCheck
{
    private const string Key = StorageOptions.SectionName + ":ConnectionString";
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<string>>? _created;

    public Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _created ??= CreateAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var storage = options.Value;
            var provider = storage.ParsedProvider ?? StorageProvider.Sqlite;
            var connectionString = storage.EffectiveConnectionString(environment.ContentRootPath);
            if (storage.MigrateAtStart)
            {
                await DatabaseMigrator.MigrateAsync(provider, connectionString, cancellationToken);
                return [];
            }

            var pending = await DatabaseMigrator.PendingAsync(provider, connectionString, cancellationToken);
            return pending.Count == 0
                ? []
                : [$"{StorageOptions.SectionName}:MigrateAtStart is false and the database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}): apply them with 'monitor db migrate' (or 'monitor db migrate --script')"];
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            return [Describe(ex)];
        }
    }

    private string Describe(Exception ex)
    {
        var reason = ex;
        while (reason.InnerException is not null)
        {
            reason = reason.InnerException;
        }

        var storage = options.Value;
        if (storage.ParsedProvider == StorageProvider.Postgres)
        {
            var connection = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
            return $"{Key}: cannot use the PostgreSQL database '{connection.Database}' on {connection.Host}:{connection.Port} ({reason.Message})";
        }

        var file = StorageOptions.SqliteFile(storage.EffectiveConnectionString(environment.ContentRootPath));
        return file is null
            ? $"{Key}: cannot open the SQLite database ({reason.Message})"
            : $"{Key}: cannot open the SQLite database file '{file}' ({reason.Message})";
    }
}

/// <summary>
/// Creates the database and its tables before anything reads or writes: in <see cref="StartingAsync"/>, which the host
/// runs for every service before any service's <c>StartAsync</c>, so it does not depend on the order of registration.
/// A database that cannot be used stops start-up with a message naming the key and the host or file.
/// </summary>
internal sealed class StorageSchemaInitializer(StorageSchema schema) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var problems = await schema.ProblemsAsync(cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
