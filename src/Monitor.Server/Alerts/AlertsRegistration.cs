using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts;
using Monitor.Core.Live;
using Monitor.Core.Monitoring;
using Monitor.Server.Infrastructure;
using Quartz;

namespace Monitor.Server.Alerts;

public static class AlertsRegistration
{
    /// <summary>
    /// The alert engine (<c>Monitor:Alerts</c>, validated at start), evaluated in the background; alert changes on
    /// <see cref="LiveFeed{AlertChanged}"/>. Without a notifier registered, notifications are only logged.
    /// </summary>
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.TryAddSingleton<LiveFeed<AlertChanged>>();
        services.TryAddSingleton<IAlertNotificationSender, LogOnlyNotificationSender>();
        services.TryAddSingleton(sp => new AuditCadence(Interval(sp.GetRequiredService<IOptions<MonitorOptions>>().Value.Audit.Schedule)));
        services.AddSingleton<EffectiveAlertRules>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<AlertStore>();
        services.AddHostedService<AlertEvaluationService>();
        return builder;
    }

    /// <summary>The time between two audits: the interval itself, or the gap between a cron schedule's next two fires.</summary>
    private static TimeSpan? Interval(string schedule)
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
        var first = cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow);
        var second = first is { } f ? cron.GetNextValidTimeAfter(f) : null;
        return first is { } a && second is { } b ? b - a : null;
    }
}
