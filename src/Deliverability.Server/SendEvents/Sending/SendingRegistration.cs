using Deliverability.Core.Alerts;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.SendEvents.Sending;

public static class SendingRegistration
{
    /// <summary>
    /// <c>Monitor:Sending</c> (validated at start), the processor that rolls stored send events up per minute, the
    /// rollups' reader and the board of the Sending page, the Overview's Sending column and <c>/api/sending</c>, and the
    /// sending alerts' signals (with the stored forecasts as the expected volume where a stream has one).
    /// </summary>
    public static WebApplicationBuilder AddSending(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SendingOptions, SendingOptionsValidator>(SendingOptions.SectionName);
        services.AddSingleton<SendRollupReader>();
        services.AddSingleton<SendingBoard>();
        services.AddSingleton<ISendVolumeForecasts, ForecastVolumeExpectation>();
        services.AddSingleton<IAlertSignalSource, SendingAlertSignals>();
        services.AddHostedService<SendEventProcessorService>();
        return builder;
    }

    /// <summary><c>/api/sending</c>; the page is routed by the dashboard.</summary>
    public static WebApplication MapSending(this WebApplication app)
    {
        app.MapSendingApi();
        return app;
    }
}
