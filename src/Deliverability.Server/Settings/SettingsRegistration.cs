using Deliverability.Server.Auth;

namespace Deliverability.Server.Settings;

/// <summary>
/// The settings API: what the Settings pages edit (sending domains, seeds, send paths, alert receivers, alert rules), for a deployment
/// pipeline. It saves through the catalogs the pages use (<c>MonitoredDomainCatalog</c>, <c>PlacementCatalog</c>, <c>AlertReceiverCatalog</c>,
/// <c>EffectiveAlertRules</c>, registered by Domains, Placement and Alerts), so both refuse the same input with the same words,
/// and a change applies as one made on the page does.
/// </summary>
public static class SettingsRegistration
{
    /// <summary>The lists the API edits, each an adapter over its feature's catalog.</summary>
    public static WebApplicationBuilder AddSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DomainSettings>();
        builder.Services.AddSingleton<SeedSettings>();
        builder.Services.AddSingleton<SendPathSettings>();
        builder.Services.AddSingleton<ReceiverSettings>();
        return builder;
    }

    /// <summary><c>/api/settings/domains</c>, <c>/seeds</c>, <c>/send-paths</c>, <c>/receivers</c> and <c>/alert-rules</c>, for Admins only, as the Settings pages.</summary>
    public static WebApplication MapSettings(this WebApplication app)
    {
        app.MapGroup("/api/settings").WithTags("Settings").RequireAuthorization(AuthPolicies.Admin)
            .MapSettingItems<DomainSettings, DomainRequest, DomainSettingDto>("/domains")
            .MapSettingItems<SeedSettings, SeedRequest, SeedSettingDto>("/seeds")
            .MapSettingItems<SendPathSettings, SendPathRequest, SendPathSettingDto>("/send-paths")
            .MapSettingItems<ReceiverSettings, ReceiverRequest, ReceiverSettingDto>("/receivers")
            .MapAlertRuleSettings();
        return app;
    }
}
