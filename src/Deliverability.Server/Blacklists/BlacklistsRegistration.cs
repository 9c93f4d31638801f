using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Blacklists;

public static class BlacklistsRegistration
{
    /// <summary>
    /// <c>Monitor:Blacklists</c> (validated at start), the shared answer cache and query budgets, the store, the targets
    /// (the monitored domains' names and sending IPs, and <c>Monitor:Blacklists:Targets</c>), the alert signals, the read
    /// model of the Blacklists page and <c>/api/blacklists</c>, and the Quartz job: first after <c>FirstRunDelay</c>, then on
    /// <c>Schedule</c> (default every 30 minutes).
    /// </summary>
    public static WebApplicationBuilder AddBlacklists(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<BlacklistOptions, BlacklistOptionsValidator>(BlacklistOptions.SectionName);

        services.AddSingleton(sp => new BlacklistAnswerCache(sp.GetRequiredService<IOptions<BlacklistOptions>>().Value.Cache, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BlacklistQueryBudget>();
        services.AddSingleton<BlacklistStore>();
        services.AddSingleton<BlacklistTargets>();
        services.AddSingleton<IAlertSignalSource, BlacklistAlertSignals>();
        services.AddSingleton<BlacklistMonitor>();
        services.AddSingleton<BlacklistBoard>();

        services.AddScheduledJob<BlacklistCheckJob>(
            BlacklistCheckJob.Key,
            (sp, trigger) =>
            {
                var options = sp.GetRequiredService<IOptions<BlacklistOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(BlacklistCheckJob.Key).WithIdentity(BlacklistCheckJob.FirstRun).StartAt(now + options.FirstRunDelay);
            },
            (sp, trigger) =>
            {
                var options = sp.GetRequiredService<IOptions<BlacklistOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(BlacklistCheckJob.Key).WithIdentity(BlacklistCheckJob.Schedule)
                    .RepeatOn(options.Schedule, TimeSpan.FromMinutes(30), now + options.FirstRunDelay);
            });
        return builder;
    }

    /// <summary><c>/api/blacklists</c>.</summary>
    public static WebApplication MapBlacklists(this WebApplication app)
    {
        app.MapBlacklistsApi();
        return app;
    }
}
