using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Infrastructure;

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
        builder.Services.AddDbContextFactory<MonitorDbContext>((services, options) => options.UseConfiguredStorage(services, contentRoot));
        builder.Services.AddSingleton<StorageSchema>();
        builder.Services.AddSingleton<IStartupCheck>(sp => sp.GetRequiredService<StorageSchema>());
        builder.Services.AddHostedService<StorageSchemaInitializer>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
    }

    /// <summary>A context on the database of the <c>Storage</c> section: the results' and the sign-in's share it.</summary>
    public static DbContextOptionsBuilder UseConfiguredStorage(this DbContextOptionsBuilder options, IServiceProvider services, string contentRoot)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return MonitorDbContext.Configure(options, storage.ParsedProvider ?? StorageProvider.Sqlite, storage.EffectiveConnectionString(contentRoot));
    }
}
