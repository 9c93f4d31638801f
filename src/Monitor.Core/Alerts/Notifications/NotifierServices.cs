using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Monitor.Core.Alerts.Notifications;

public static class NotifierServices
{
    /// <summary>
    /// The HTTP client the receivers post with, the attempts store and <see cref="NotificationSender"/> as the
    /// <see cref="IAlertNotificationSender"/>. Needs <see cref="AlertReceiversOptions"/>, a <c>MonitorDbContext</c> factory and logging.
    /// </summary>
    public static IServiceCollection AddAlertNotifiers(this IServiceCollection services)
    {
        services.AddHttpClient(HttpReceiverTransport.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would re-post the alert to another address.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            // The factory's own logging writes every request URI, and a webhook URI is a secret.
            .RemoveAllLoggers();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationAttemptStore>();
        services.AddSingleton<IAlertNotificationSender, NotificationSender>();
        return services;
    }
}
