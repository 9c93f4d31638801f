using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Core.Storage;

namespace Monitor.Server.Infrastructure;

public static class StorageRegistration
{
    /// <summary>EF Core on SQLite (default, <c>data/monitor.db</c> under the content root) or PostgreSQL; the schema is created at start.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.TryAddTimeProvider();
        builder.Services.AddDbContextFactory<MonitorDbContext>((services, options) =>
        {
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            MonitorDbContext.Configure(options, storage.ParsedProvider ?? StorageProvider.Sqlite, storage.EffectiveConnectionString(contentRoot));
        });
        builder.Services.AddSingleton<AuditResultStore>();
        builder.Services.AddHostedService<StorageSchemaInitializer>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}

/// <summary>Creates the database and its tables before anything reads or writes.</summary>
internal sealed class StorageSchemaInitializer(IDbContextFactory<MonitorDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
