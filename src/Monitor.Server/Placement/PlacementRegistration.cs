using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Core.Alerts;
using Monitor.Core.Live;
using Monitor.Core.Placement;
using Monitor.Server.Infrastructure;
using Quartz;

namespace Monitor.Server.Placement;

public static class PlacementRegistration
{
    /// <summary>
    /// <c>Monitor:Placement</c> (validated at start), the runner, the store and the Quartz schedule of runs (default every
    /// 6 hours), with <c>protected:</c> passwords decrypted (<see cref="SecretsRegistration.AddSecrets"/>). Adds to the scheduler <see cref="AuditingRegistration.AddAuditing"/> configures (same persistent store).
    /// </summary>
    public static WebApplicationBuilder AddPlacement(this WebApplicationBuilder builder)
    {
        builder.AddSecrets();
        var services = builder.Services;
        services.AddOptions<PlacementOptions>().BindConfiguration(PlacementOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlacementOptions>, PlacementOptionsValidator>();
        services.AddSingleton<PlacementRunner>();
        services.AddSingleton<PlacementResultStore>();
        services.AddSingleton<IAlertSignalSource, PlacementAlertSignals>();
        services.TryAddSingleton<LiveFeed<PlacementRunCompleted>>();
        services.AddSingleton<PlacementCatalog>();
        services.AddSingleton<PlacementRuns>();

        services.AddQuartz(quartz =>
        {
            quartz.AddJob<PlacementJob>(job => job.WithIdentity(PlacementJob.Key).StoreDurably().DisallowConcurrentExecution());
            quartz.AddTrigger((sp, trigger) =>
            {
                var placement = sp.GetRequiredService<IOptions<PlacementOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(PlacementJob.Key).WithIdentity("placement-schedule", "monitor")
                    .RepeatOn(placement.Schedule, TimeSpan.FromHours(6), now);
            });
        });
        return builder;
    }
}
