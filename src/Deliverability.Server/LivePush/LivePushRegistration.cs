using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Configuration;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Placement;
using Deliverability.Server.Alerts;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LoadTests;
using Deliverability.Server.SendEvents.Sending;

namespace Deliverability.Server.LivePush;

/// <summary>
/// Live push across nodes: with <c>Monitor:LiveFeed:Redis</c> set, what one node publishes on its live feeds reaches the
/// dashboards, read models and SignalR clients of every node on the same Redis. Unset, nothing is registered.
/// </summary>
public static class LivePushRegistration
{
    /// <summary>
    /// The options (validated at start), the shared Redis connection, the relay of the feeds below, the SignalR backplane
    /// of <see cref="AlertsHub"/> and <see cref="LoadTestsHub"/>, and the <c>live-push</c> health check.
    /// </summary>
    public static WebApplicationBuilder AddLivePush(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<LivePushOptions, LivePushOptionsValidator>(LivePushOptions.SectionName);
        var settings = ConfigurationBinding.Bind<LivePushOptions>(builder.Configuration.GetSection(LivePushOptions.SectionName), out _);
        if (!settings.Enabled)
        {
            return builder;
        }

        services.AddSingleton<LivePushConnection>();
        services.AddSingleton<LivePushNode>();
        // What a page or a read model on another node must hear of. Load-test progress is not here: pages show the
        // progress of the run on their own node, and the load-test hub's clients get it through the SignalR backplane.
        AddCrossNodeFeed<DomainAuditCompleted>(services, "domain-audit-completed");
        AddCrossNodeFeed<AlertChanged>(services, "alert-changed");
        AddCrossNodeFeed<BlacklistChanged>(services, "blacklist-changed");
        AddCrossNodeFeed<PlacementRunCompleted>(services, "placement-run-completed");
        AddCrossNodeFeed<PlacementRunFailed>(services, "placement-run-failed");
        AddCrossNodeFeed<LoadTestRunChanged>(services, "load-test-run-changed");
        AddCrossNodeFeed<ForecastCompleted>(services, "forecast-completed");
        AddCrossNodeFeed<SendingUpdated>(services, "sending-updated");
        services.AddHostedService<LiveFeedRelay>();

        services.AddSignalR().AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<LivePushConnection>((redis, connection) => redis.ConnectionFactory = _ => connection.ConnectAsync());
        // Only the product's own hubs go through Redis. Blazor's circuits are a hub too: they are sticky to their node and
        // need no backplane, and through Redis a dashboard could not connect while Redis is down.
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(DefaultHubLifetimeManager<>));
        services.AddSingleton<HubLifetimeManager<AlertsHub>, RedisHubLifetimeManager<AlertsHub>>();
        services.AddSingleton<HubLifetimeManager<LoadTestsHub>, RedisHubLifetimeManager<LoadTestsHub>>();

        services.AddHealthChecks().AddCheck<LivePushHealthCheck>("live-push");
        return builder;
    }

    private static void AddCrossNodeFeed<T>(IServiceCollection services, string name)
        where T : class =>
        services.AddSingleton<ICrossNodeFeed>(sp => new CrossNodeFeed<T>(name, sp.GetRequiredService<LiveFeed<T>>()));
}
