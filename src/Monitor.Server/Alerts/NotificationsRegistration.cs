using Microsoft.Extensions.Options;
using Monitor.Core.Alerts.Notifications;
using Monitor.Server.Infrastructure;

namespace Monitor.Server.Alerts;

public static class NotificationsRegistration
{
    /// <summary>
    /// The receivers of <c>Monitor:Alerts:Receivers</c> (validated at start) and the sender the alert engine hands its
    /// notifications to; it replaces the engine's log-only fallback. Receivers added in the dashboard join the configured
    /// ones through <see cref="AlertReceiverCatalog"/>.
    /// </summary>
    public static WebApplicationBuilder AddAlertNotifications(this WebApplicationBuilder builder)
    {
        builder.AddSecrets(); // dashboard receivers' secrets are stored encrypted
        builder.Services.AddOptions<AlertReceiversOptions>().BindConfiguration(AlertReceiversOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertReceiversOptions>, AlertReceiversOptionsValidator>();
        // Configured receivers plus those added in the dashboard (Settings > Receivers), read at each evaluation.
        builder.Services.AddSingleton<AlertReceiverCatalog>();
        builder.Services.AddSingleton<IReceiverDirectory>(sp => sp.GetRequiredService<AlertReceiverCatalog>());
        builder.Services.AddAlertNotifiers();
        return builder;
    }
}
