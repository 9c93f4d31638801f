using Microsoft.Extensions.DependencyInjection.Extensions;
using Monitor.Core.Alerts;
using Monitor.Core.Live;

namespace Monitor.Server.Alerts;

public static class LivePushRegistration
{
    /// <summary>SignalR and the bridge from the alert engine's <see cref="LiveFeed{T}"/> of <see cref="AlertChanged"/> to <see cref="AlertsHub"/>.</summary>
    public static WebApplicationBuilder AddAlertsLivePush(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<LiveFeed<AlertChanged>>();
        builder.Services.AddSignalR();
        builder.Services.AddHostedService<AlertsHubBroadcaster>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlertsHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<AlertsHub>(AlertsHub.Path);
        return app;
    }
}
