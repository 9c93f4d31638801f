using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Deliverability.Core.Alerts.Notifications;

public static class NotifierServices
{
    /// <summary>Lets a receiver's operator tell our requests apart (as Alertmanager sends <c>Alertmanager/&lt;version&gt;</c>).</summary>
    public const string UserAgent = "DeliverabilityMonitor/1.0";

    /// <summary>
    /// The HTTP client the receivers post with, the attempts store and <see cref="NotificationSender"/> as the
    /// <see cref="IAlertNotificationSender"/>. The receivers come from <see cref="IReceiverDirectory"/>: the configured ones
    /// unless the caller registered another directory first (the service registers <see cref="AlertReceiverCatalog"/>). Needs <see cref="AlertReceiversOptions"/>, a <c>MonitorDbContext</c> factory and logging.
    /// </summary>
    public static IServiceCollection AddAlertNotifiers(this IServiceCollection services)
    {
        services.AddHttpClient(HttpReceiverTransport.ClientName, client =>
            {
                // Each attempt has its own timeout (ReceiverOptions.Timeout).
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
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
        services.TryAddSingleton<IReceiverDirectory, ConfiguredReceivers>();
        services.AddSingleton<IAlertNotificationSender, NotificationSender>();
        return services;
    }
}
