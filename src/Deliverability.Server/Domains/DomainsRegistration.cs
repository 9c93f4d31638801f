using Microsoft.Extensions.Options;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.Metrics;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Domains;

public static class DomainsRegistration
{
    /// <summary>
    /// The monitored domains (<c>Monitor:Domains</c> and <c>Monitor:Audit</c>, validated at start, plus those added in the
    /// dashboard), the checks, the audit cycle and its result store, the dashboard's read model of the domains, and the
    /// Quartz schedule of audits: first shortly after start (<c>Monitor:Audit:FirstRunDelay</c>), then on
    /// <c>Monitor:Audit:Schedule</c>.
    /// </summary>
    public static WebApplicationBuilder AddDomains(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MonitorOptions, MonitorOptionsValidator>(MonitorOptions.SectionName);
        foreach (var check in DomainChecks.All())
        {
            services.AddSingleton(check);
        }

        services.AddSingleton(sp => new DomainAuditor(sp.GetRequiredService<IDnsResolver>(), sp.GetServices<IDomainCheck>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DeliverabilityMetrics>()));
        services.AddSingleton<MonitoredDomainCatalog>();
        services.AddSingleton<AuditResultStore>();
        services.AddSingleton<AuditCycle>();
        services.AddSingleton<DomainBoard>();

        services.AddScheduledJob<DomainAuditJob>(
            DomainAuditJob.Key,
            (sp, trigger) =>
            {
                var audit = sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(DomainAuditJob.Key).WithIdentity(DomainAuditJob.FirstRun).StartAt(now + audit.FirstRunDelay);
            },
            (sp, trigger) =>
            {
                var audit = sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(DomainAuditJob.Key).WithIdentity(DomainAuditJob.Schedule)
                    .RepeatOn(audit.Schedule, TimeSpan.FromMinutes(15), now + audit.FirstRunDelay);
            });
        return builder;
    }

    /// <summary><c>/api/domains</c>.</summary>
    public static WebApplication MapDomains(this WebApplication app)
    {
        app.MapDomainsApi();
        return app;
    }
}
