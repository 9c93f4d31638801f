using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Core.Storage;

namespace Monitor.Server.Infrastructure;

internal static class StorageRegistration
{
    /// <summary>
    /// The <c>Storage</c> section (validated at start), EF Core on SQLite (default, <c>data/monitor.db</c> under the content
    /// root) or PostgreSQL, the schema created before any other service starts, and the <c>storage</c> health check.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.SectionName);
        builder.Services.AddDbContextFactory<MonitorDbContext>((services, options) =>
        {
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            MonitorDbContext.Configure(options, storage.ParsedProvider ?? StorageProvider.Sqlite, storage.EffectiveConnectionString(contentRoot));
        });
        builder.Services.AddHostedService<StorageSchemaInitializer>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
    }
}

/// <summary>
/// Creates the database and its tables before anything reads or writes: in <see cref="StartingAsync"/>, which the host
/// runs for every service before any service's <c>StartAsync</c>, so it does not depend on the order of registration.
/// </summary>
internal sealed class StorageSchemaInitializer(IDbContextFactory<MonitorDbContext> contexts) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
