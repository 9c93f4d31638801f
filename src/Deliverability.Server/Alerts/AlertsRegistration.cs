using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Evaluation;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Server.Infrastructure;
using Quartz;

namespace Deliverability.Server.Alerts;

public static class AlertsRegistration
{
    /// <summary>
    /// The alert engine with acknowledgements and silences (<c>Monitor:Alerts</c>, validated at start), evaluated in the background; the receivers of
    /// <c>Monitor:Alerts:Receivers</c> (validated at start) joined by those added in the dashboard
    /// (<see cref="AlertReceiverCatalog"/>, read at each evaluation) and the sender the engine hands its notifications to;
    /// alert changes pushed to <see cref="AlertsHub"/>; the Overview's panel of active alerts.
    /// </summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AlertOptions, AlertOptionsValidator>(AlertOptions.SectionName);
        services.AddSingleton(sp => new AuditCadence(Interval(sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit.Schedule, sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<EffectiveAlertRules>();
        services.AddAlertEngine();
        services.AddSingleton<AlertStore>();
        services.AddClusterLease(ClusterLeases.AlertEvaluation, 0x414C45525453); // "ALERTS" in ASCII
        services.AddHostedService<AlertEvaluationService>();

        // Several nodes on PostgreSQL write the same alerts: each evaluation and command starts from what is stored.
        services.AddSingleton(sp => new AlertStateSharing(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ParsedProvider == StorageProvider.Postgres));

        services.AddValidatedOptions<AlertReceiversOptions, AlertReceiversOptionsValidator>(AlertReceiversOptions.SectionName);
        services.AddSingleton<AlertReceiverCatalog>();
        // Before AddAlertNotifiers, whose default directory (the configured receivers only) is then not added.
        services.AddSingleton<IReceiverDirectory>(sp => sp.GetRequiredService<AlertReceiverCatalog>());
        services.AddAlertNotifiers();

        services.AddSignalR();
        services.AddHostedService<AlertsHubBroadcaster>();
        services.AddSingleton<ActiveAlertsBoard>();
        return builder;
    }

    /// <summary><c>/api/alerts</c>, <c>/api/alerts/receivers</c> and the live hub <c>/hubs/alerts</c>.</summary>
    public static WebApplication MapAlerts(this WebApplication app)
    {
        app.MapAlertsApi();
        app.MapReceiversApi();
        app.MapHub<AlertsHub>(AlertsHub.Path);
        return app;
    }

    /// <summary>The time between two audits: the interval itself, or the gap between a cron schedule's next two fires.</summary>
    private static TimeSpan? Interval(string schedule, TimeProvider time)
    {
        if (!AuditSchedule.TryParse(schedule, out var parsed, out _))
        {
            return null;
        }

        if (parsed.Interval is { } interval)
        {
            return interval;
        }

        var cron = new CronExpression(parsed.Cron!);
        var first = cron.GetNextValidTimeAfter(time.GetUtcNow());
        var second = first is { } f ? cron.GetNextValidTimeAfter(f) : null;
        return first is { } a && second is { } b ? b - a : null;
    }
}
