using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Core.Storage;
using Monitor.Server.Configuration;

namespace Monitor.Server.Storage;

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
        builder.Services.AddSingleton<StorageSchema>();
        builder.Services.AddSingleton<IStartupCheck>(sp => sp.GetRequiredService<StorageSchema>());
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
