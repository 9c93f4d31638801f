using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Placement;
using Deliverability.Core.Secrets;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Placement;

public static class PlacementRegistration
{
    /// <summary>
    /// <c>Monitor:Placement</c> (validated at start, <c>protected:</c> passwords decrypted first), the runner, the store, the
    /// seeds and send paths added in the dashboard, the alert signals, the read model of the Placement page and
    /// <c>/api/placement</c>, the dashboard's "Run now", and the Quartz schedule of runs (default every 6 hours).
    /// </summary>
    public static WebApplicationBuilder AddPlacement(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<PlacementOptions, PlacementOptionsValidator>(PlacementOptions.SectionName);
        services.AddSingleton<IPostConfigureOptions<PlacementOptions>, RevealPlacementSecrets>();
        services.AddSingleton<PlacementRunner>();
        services.AddSingleton<PlacementResultStore>();
        services.AddSingleton<IAlertSignalSource, PlacementAlertSignals>();
        services.AddSingleton<PlacementCatalog>();
        services.AddSingleton<PlacementRuns>();
        services.AddSingleton<PlacementBoard>();
        services.AddSingleton<PlacementRunLauncher>();

        services.AddScheduledJob<PlacementJob>(
            PlacementJob.Key,
            (sp, trigger) =>
            {
                var placement = sp.GetRequiredService<IOptions<PlacementOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(PlacementJob.Key).WithIdentity(PlacementJob.Schedule)
                    .RepeatOn(placement.Schedule, TimeSpan.FromHours(6), now);
            });
        return builder;
    }

    /// <summary><c>/api/placement</c>.</summary>
    public static WebApplication MapPlacement(this WebApplication app)
    {
        app.MapPlacementApi();
        return app;
    }

    /// <summary>Leaves a value it cannot decrypt as it is: the validator reports it, naming the key.</summary>
    private sealed class RevealPlacementSecrets(IDataProtectionProvider provider) : IPostConfigureOptions<PlacementOptions>
    {
        public void PostConfigure(string? name, PlacementOptions options) => ProtectedSecret.RevealAll(provider, PlacementSecrets.Of(options));
    }
}
