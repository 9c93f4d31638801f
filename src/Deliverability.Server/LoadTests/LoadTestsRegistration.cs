using Deliverability.Core.LoadTests;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.LoadTests;

public static class LoadTestsRegistration
{
    /// <summary>
    /// <c>Monitor:LoadTests</c> (validated at start), the stored scenarios, the store of runs, the runner (one run at a
    /// time; a stop of the service aborts the run and stores it so), what runs now for the pages, and the read model of
    /// the Load tests pages and the Overview's Capacity section, and the runs pushed to <c>/hubs/loadtests</c>.
    /// </summary>
    public static WebApplicationBuilder AddLoadTests(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<LoadTestOptions, LoadTestOptionsValidator>(LoadTestOptions.SectionName);
        services.AddSingleton<ScenarioCatalog>();
        services.AddSingleton<LoadTestRunStore>();
        services.AddSingleton<LoadTestActivity>();
        services.AddSingleton<LoadTestRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<LoadTestRuns>());
        services.AddSingleton<LoadTestBoard>();
        // AddSignalR adds its services only once, whichever feature with a hub calls it first.
        services.AddSignalR();
        services.AddHostedService<LoadTestsHubBroadcaster>();
        services.AddHostedService<LoadTestMetrics>();
        return builder;
    }

    /// <summary><c>/api/loadtests</c> and <c>/hubs/loadtests</c>; the pages are routed by the dashboard.</summary>
    public static WebApplication MapLoadTests(this WebApplication app)
    {
        app.MapLoadTestsApi();
        app.MapHub<LoadTestsHub>(LoadTestsHub.Path);
        return app;
    }
}
