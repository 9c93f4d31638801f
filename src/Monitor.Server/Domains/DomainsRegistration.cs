using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Monitor.Core.Audits;
using Monitor.Core.Dns;
using Monitor.Core.Monitoring;
using Monitor.Core.Storage;
using Monitor.Server.Infrastructure;
using Npgsql;
using Quartz;

namespace Monitor.Server.Domains;

public static class AuditingRegistration
{
    /// <summary>
    /// The resolver, the checks, the audit cycle and the Quartz schedule that runs it: first shortly after start
    /// (<c>Monitor:Audit:FirstRunDelay</c>), then on <c>Monitor:Audit:Schedule</c>. The job store is persistent, in the
    /// same database as the results.
    /// </summary>
    public static WebApplicationBuilder AddAuditing(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IDnsResolver>(sp => new DnsClientResolver(sp.GetRequiredService<IOptions<DnsOptions>>().Value));
        foreach (var check in DomainChecks.All())
        {
            services.AddSingleton(check);
        }

        services.AddSingleton(sp => new DomainAuditor(sp.GetRequiredService<IDnsResolver>(), sp.GetServices<IDomainCheck>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AuditCycle>();

        // Quartz takes its job store's connection at registration. A bad value must not fail here, with a message that
        // names no key: the options validator stops start-up before the scheduler starts, and names it.
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var jobStore = UsableConnectionString(storage, builder.Environment.ContentRootPath);
        services.AddQuartz(quartz =>
        {
            // On shutdown a running cycle is cancelled and awaited: each domain already saved stays, none is half-written.
            quartz.ConfigureScheduler(scheduler => scheduler.ShutdownJobInterruption = ShutdownJobInterruption.Always);
            quartz.AddJob<DomainAuditJob>(job => job.WithIdentity(DomainAuditJob.Key).StoreDurably().DisallowConcurrentExecution());
            quartz.AddTrigger((sp, trigger) =>
            {
                var audit = sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(DomainAuditJob.Key).WithIdentity("domain-audit-first-run", "monitor").StartAt(now + audit.FirstRunDelay);
            });
            quartz.AddTrigger((sp, trigger) =>
            {
                var audit = sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(DomainAuditJob.Key).WithIdentity("domain-audit-schedule", "monitor")
                    .RepeatOn(audit.Schedule, TimeSpan.FromMinutes(15), now + audit.FirstRunDelay);
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

                    store.ProvisionSchema();
                });
            }
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
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
