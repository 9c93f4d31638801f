using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts;
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

        builder.Services.AddHttpClient(HttpReceiverTransport.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would re-post the alert (and its secrets) to another address.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The factory's own logging writes every request URI, and a webhook URI is a secret.
            .RemoveAllLoggers();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotificationAttemptStore>();
        builder.Services.AddSingleton<IAlertNotificationSender, NotificationSender>();
        return builder;
    }
}
