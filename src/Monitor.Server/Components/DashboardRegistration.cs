using Monitor.Core.Live;
using Monitor.Core.Monitoring;
using Monitor.Server.Alerts;
using Monitor.Server.Blacklists;
using Monitor.Server.Domains;
using Monitor.Server.Overview;
using Monitor.Server.Placement;
using MudBlazor.Services;

namespace Monitor.Server.Components;

public static class DashboardRegistration
{
    /// <summary>
    /// The Blazor dashboard (interactive server rendering, MudBlazor), its read model, the domains added from the
    /// dashboard (audited alongside <c>Monitor:Domains</c>) and the live feed of completed audits it listens to.
    /// </summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddSingleton<LiveFeed<DomainAuditCompleted>>();
        services.AddSingleton<MonitoredDomainCatalog>();
        services.AddSingleton<DomainBoard>();
        services.AddSingleton<BlacklistBoard>();
        services.AddSingleton<PlacementBoard>();
        services.AddSingleton<PlacementRunLauncher>();
        services.AddSingleton<ReadinessBoard>();
        services.AddSingleton<ActiveAlertsBoard>();
        return builder;
    }

    /// <summary>Static files (open to all: the sign-in page needs its styles) and the dashboard's pages at <c>/</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // Named after the assembly, not the host's application name: a test that runs the entry point has another.
        app.MapStaticAssets($"{typeof(DashboardRegistration).Assembly.GetName().Name}.staticwebassets.endpoints.json").AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
