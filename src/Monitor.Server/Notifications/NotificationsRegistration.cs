using Microsoft.Extensions.Options;
using Monitor.Core.Alerts.Notifications;
using Monitor.Server.Configuration;

namespace Monitor.Server.Notifications;

public static class NotificationsRegistration
{
    /// <summary>
    /// The receivers of <c>Monitor:Alerts:Receivers</c> (validated at start) and the sender the alert engine hands its
    /// notifications to; it replaces the engine's log-only fallback.
    /// </summary>
    public static WebApplicationBuilder AddAlertNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertReceiversOptions>().BindConfiguration(AlertReceiversOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertReceiversOptions>, AlertReceiversOptionsValidator>();
        builder.Services.AddAlertNotifiers();
        return builder;
    }
}
