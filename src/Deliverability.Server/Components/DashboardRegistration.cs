using MudBlazor.Services;

namespace Deliverability.Server.Components;

public static class DashboardRegistration
{
    /// <summary>
    /// The Blazor dashboard's shell: interactive server rendering, the signed-in user for every page, MudBlazor. Each
    /// feature registers the read model of its own pages.
    /// </summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        return builder;
    }

    /// <summary>Static files (open to all: the sign-in page needs its styles) and the dashboard's pages at <c>/</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        // Named after the assembly, not the host's application name: a test that runs the entry point has another.
        app.MapStaticAssets($"{typeof(DashboardRegistration).Assembly.GetName().Name}.staticwebassets.endpoints.json").AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
