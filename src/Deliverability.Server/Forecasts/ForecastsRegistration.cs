using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Forecasts;
using Deliverability.Forecasting;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Forecasts;

public static class ForecastsRegistration
{
    /// <summary>
    /// <c>Monitor:Forecasts</c> (validated at start), the store of history, campaigns and forecasts, the forecaster and
    /// the runner that makes one forecast at a time off the request thread, the read models of the Forecasts page, the
    /// Overview's capacity and <c>/api/forecasts</c>, the capacity plan's alert signals, and the Quartz schedule of
    /// forecasts (default nightly at 02:00 UTC).
    /// </summary>
    public static WebApplicationBuilder AddForecasts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ForecastOptions, ForecastOptionsValidator>(ForecastOptions.SectionName);
        services.AddSingleton<ForecastStore>();
        services.AddSingleton<IVolumeForecaster>(sp => new VolumeForecaster(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ForecastRunner>();
        services.AddHostedService<ForecastMetrics>();
        services.AddSingleton<ForecastBoard>();
        services.AddSingleton<CapacityPlanBoard>();
        services.AddSingleton<IAlertSignalSource, CapacityAlertSignals>();

        services.AddScheduledJob<ForecastJob>(
            ForecastJob.Key,
            (sp, trigger) =>
            {
                var forecasts = sp.GetRequiredService<IOptions<ForecastOptions>>().Value;
                var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
                trigger.ForJob(ForecastJob.Key).WithIdentity("forecast-schedule", "monitor")
                    .RepeatOn(forecasts.Schedule, TimeSpan.FromDays(1), now);
            });
        return builder;
    }

    /// <summary><c>/api/forecasts</c>; the page is routed by the dashboard.</summary>
    public static WebApplication MapForecasts(this WebApplication app)
    {
        app.MapForecastsApi();
        return app;
    }
}
