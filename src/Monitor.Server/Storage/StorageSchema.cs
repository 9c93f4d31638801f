using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Core.Storage;
using Monitor.Server.Configuration;
using Npgsql;

namespace Monitor.Server.Storage;

/// <summary>
/// Creates the database and its tables, once, before anything reads or writes. A database that cannot be reached or
/// opened is a problem naming <c>Storage:ConnectionString</c> and the server or file, never the connection string
/// itself (it may hold a password).
/// </summary>
internal sealed class StorageSchema(IDbContextFactory<MonitorDbContext> contexts, IOptions<StorageOptions> options, IHostEnvironment environment) : IStartupCheck
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
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
            return [];
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

/// <summary>Creates the schema when the host starts (already done when start-up checked it).</summary>
internal sealed class StorageSchemaInitializer(StorageSchema schema) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = await schema.ProblemsAsync(cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
