using Microsoft.Data.Sqlite;
using Deliverability.Core.Configuration;
using Deliverability.Core.Storage;
using Npgsql;
using Quartz;

namespace Deliverability.Server.Infrastructure;

/// <summary>The one Quartz scheduler, and how a feature puts its jobs on it (<see cref="AddScheduledJob{TJob}"/>).</summary>
public static class SchedulerRegistration
{
    /// <summary>
    /// Adds <typeparamref name="TJob"/> under <paramref name="key"/> (durable, never two runs at once, run again by another
    /// node of a cluster when its node dies during a run) with its
    /// <paramref name="triggers"/>, each given the service provider. A feature adds jobs and triggers only: the store and the
    /// scheduler's settings are <see cref="AddScheduler"/>'s. Quartz 4.7 gathers the jobs and triggers of every registration
    /// of the default scheduler when it builds the scheduler, so these calls and <see cref="AddScheduler"/> compose in any order.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, JobKey key, params Action<IServiceProvider, ITriggerConfigurator<IJob>>[] triggers)
        where TJob : IJob
    {
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<TJob>(job => job.WithIdentity(key).StoreDurably().DisallowConcurrentExecution().RequestRecovery());
            foreach (var trigger in triggers)
            {
                quartz.AddTrigger(trigger);
            }
        });
        return services;
    }

    /// <summary>
    /// The scheduler and its hosted service. The job store is persistent, in the same database as the results; on shutdown
    /// a running job is cancelled and awaited (each domain already saved stays, none is half-written). On PostgreSQL the
    /// store is clustered (<see cref="ClusterOptions"/>): every node declares the same jobs and triggers, the first one's
    /// are kept, and each trigger fires on one node.
    /// </summary>
    internal static WebApplicationBuilder AddScheduler(this WebApplicationBuilder builder)
    {
        // Quartz takes its job store's connection at registration. A bad value must not fail here, with a message that
        // names no key: the options validator stops start-up before the scheduler starts, and names it.
        var storage = ConfigurationBinding.Bind<StorageOptions>(builder.Configuration.GetSection(StorageOptions.SectionName), out _);
        var jobStore = UsableConnectionString(storage, builder.Environment.ContentRootPath);
        var cluster = ConfigurationBinding.Bind<ClusterOptions>(builder.Configuration.GetSection(ClusterOptions.SectionName), out _);
        builder.Services.AddOptions<ClusterOptions>().BindSection(ClusterOptions.SectionName);
        var clustered = jobStore is not null && storage.ParsedProvider == StorageProvider.Postgres;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.ShutdownJobInterruption = ShutdownJobInterruption.Always;
                if (clustered)
                {
                    scheduler.IdleWaitTime = cluster.IdleWaitTime;
                    if (string.IsNullOrWhiteSpace(cluster.InstanceId))
                    {
                        scheduler.GenerateInstanceId = true;
                    }
                    else
                    {
                        scheduler.InstanceId = cluster.InstanceId.Trim();
                    }
                }
            });
            if (jobStore is not null)
            {
                quartz.UsePersistentStore(store =>
                {
                    if (storage.ParsedProvider == StorageProvider.Postgres)
                    {
                        store.UsePostgres(NpgsqlFactory.Instance, jobStore);
                    }
                    else
                    {
                        store.UseSqlite(SqliteFactory.Instance, jobStore);
                    }

                    if (clustered)
                    {
                        store.UseClustering(c =>
                        {
                            c.CheckinInterval = cluster.CheckinInterval;
                            c.CheckinMisfireThreshold = cluster.CheckinMisfireThreshold;
                        });
                    }

                    store.ProvisionSchema();
                });
            }
        });
        if (clustered)
        {
            // Every node declares the same jobs and triggers: a node that starts later keeps the schedule the cluster
            // runs on instead of moving it (this also turns replacing stored triggers off).
            builder.Services.Configure<QuartzOptions>(options => options.Scheduling.IgnoreDuplicates = true);
        }

        builder.Services.AddSingleton<JobRunLock>();
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }

    private static string? UsableConnectionString(StorageOptions storage, string contentRoot)
    {
        try
        {
            var connectionString = storage.EffectiveConnectionString(contentRoot);
            if (storage.ParsedProvider == StorageProvider.Postgres)
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }

            return string.IsNullOrWhiteSpace(connectionString) || storage.ParsedProvider is null ? null : connectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return null;
        }
    }
}
