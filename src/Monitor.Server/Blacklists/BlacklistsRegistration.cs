using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts;
using Monitor.Core.Blacklists;
using Monitor.Core.Dns;
using Monitor.Core.Live;
using Monitor.Core.Monitoring;
using Monitor.Server.Infrastructure;
using Quartz;

namespace Monitor.Server.Blacklists;

public static class BlacklistMonitoringRegistration
{
    /// <summary>
    /// <c>Monitor:Blacklists</c> (validated at start), the shared answer cache and query budgets, the store, the live
    /// feed of listings and delistings, and the Quartz job in the persistent scheduler that <see cref="AuditingRegistration"/>
    /// sets up: first after <c>FirstRunDelay</c>, then on <c>Schedule</c> (default every 30 minutes).
    /// </summary>
    public static WebApplicationBuilder AddBlacklistMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BlacklistOptions>().BindConfiguration(BlacklistOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BlacklistOptions>, BlacklistOptionsValidator>();

        services.TryAddSingleton<IDnsResolver>(sp => new DnsClientResolver(sp.GetRequiredService<IOptions<DnsOptions>>().Value));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new BlacklistAnswerCache(sp.GetRequiredService<IOptions<BlacklistOptions>>().Value.Cache, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BlacklistQueryBudget>();
        services.AddSingleton<BlacklistStore>();
        services.TryAddSingleton<MonitoredDomainCatalog>();
        services.AddSingleton<BlacklistTargets>();
        services.AddSingleton<IAlertSignalSource, BlacklistAlertSignals>();
        services.TryAddSingleton<LiveFeed<BlacklistChanged>>();
        services.AddSingleton<BlacklistMonitor>();

        // A second AddQuartz call adds to the scheduler AddAuditing configured (same persistent store).
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<BlacklistCheckJob>(job => job.WithIdentity(BlacklistCheckJob.Key).StoreDurably().DisallowConcurrentExecution());
            quartz.AddTrigger((sp, trigger) =>
            {
                var options = sp.GetRequiredService<IOptions<BlacklistOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(BlacklistCheckJob.Key).WithIdentity("blacklist-check-first-run", "monitor").StartAt(now + options.FirstRunDelay);
            });
            quartz.AddTrigger((sp, trigger) =>
            {
                var options = sp.GetRequiredService<IOptions<BlacklistOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(BlacklistCheckJob.Key).WithIdentity("blacklist-check-schedule", "monitor")
                    .RepeatOn(options.Schedule, TimeSpan.FromMinutes(30), now + options.FirstRunDelay);
            });
        });
        return builder;
    }
}
