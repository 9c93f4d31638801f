using Deliverability.Core.Metrics;
using Deliverability.Server.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Quartz;

namespace Deliverability.Server.Metrics;

public static class MetricsRegistration
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>
    /// The series of ASP.NET Core's and the runtime's meters that the dashboards use, beside the service's own
    /// (<see cref="DeliverabilityInstruments"/>); the scrape test checks that they are served.
    /// </summary>
    public static IReadOnlyList<string> ServiceSeries { get; } =
    [
        "http_server_request_duration_seconds_count",
        "dotnet_gc_collections_total",
        "dotnet_thread_pool_queue_length",
    ];

    /// <summary>
    /// The metrics out of the service: OpenTelemetry with the <c>Deliverability</c> meter (<see cref="DeliverabilityInstruments"/>),
    /// ASP.NET Core's and the runtime's meters, for Prometheus at <see cref="ScrapePath"/>; the InfluxDB export when
    /// <c>Monitor:Influx</c> is set; the scheduler's misfires and job durations, and the alerts' state changes.
    /// The features record through <see cref="DeliverabilityMetrics"/>, which Infrastructure registers.
    /// </summary>
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.SectionName);
        services.AddValidatedOptions<InfluxOptions, InfluxOptionsValidator>(InfluxOptions.SectionName);

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("deliverability-monitor", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(DeliverabilityInstruments.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        services.AddSingleton<InfluxExport>();
        services.AddHostedService(sp => sp.GetRequiredService<InfluxExport>());
        services.AddHostedService<AlertMetrics>();
        services.AddSingleton<SchedulerMetrics>();
        services.AddQuartz(quartz =>
        {
            quartz.AddTriggerListener(sp => sp.GetRequiredService<SchedulerMetrics>());
            quartz.AddJobListener(sp => sp.GetRequiredService<SchedulerMetrics>());
        });

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ScrapeAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ScrapeAccessRequirement.PolicyName, policy => policy.AddRequirements(new ScrapeAccessRequirement()));
        return builder;
    }

    /// <summary>
    /// <see cref="ScrapePath"/>, for a Viewer (signed in or with an API key) or the configured scrape token. A client
    /// without either gets 401 (not the dashboard's redirect to the sign-in page: a scraper cannot sign in).
    /// </summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(ScrapePath, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(ScrapeAccess.RequireAsync), optionsName: null)
            .AllowAnonymous();
        return app;
    }
}
