using Microsoft.Extensions.Options;
using Monitor.Core.Dns;
using Monitor.Core.Live;

namespace Monitor.Server.Infrastructure;

/// <summary>
/// What every feature shares, registered once and only here, so the features' <c>AddX</c> calls may come in any order:
/// each registers only what it owns and finds the rest in the container when the host is built.
/// </summary>
public static class InfrastructureRegistration
{
    /// <summary>
    /// The clock, the <c>Dns</c> section and the resolver, storage (<c>Storage</c>), the live feeds, Data Protection for
    /// stored secrets, the Quartz scheduler with its persistent job store, ProblemDetails, and the framework services the
    /// request pipeline of <see cref="MapInfrastructure"/> needs. A bad value stops start-up naming its key.
    /// </summary>
    public static WebApplicationBuilder AddInfrastructure(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        services.AddValidatedOptions<DnsOptions, DnsOptionsValidator>(DnsOptions.SectionName);
        services.AddSingleton<IDnsResolver>(sp => new DnsClientResolver(sp.GetRequiredService<IOptions<DnsOptions>>().Value));

        // One feed per event type (audits completed, alert changes, listings, placement runs), shared by publishers and pages.
        services.AddSingleton(typeof(LiveFeed<>));

        builder.AddStorage();
        builder.AddSecrets();
        builder.AddScheduler();

        services.AddProblemDetails();
        // The pipeline below uses these whatever the features register; AddAuth adds the schemes, policies and limits.
        services.AddAuthentication();
        services.AddAuthorization();
        services.AddRateLimiter(_ => { });
        services.AddAntiforgery();
        return builder;
    }

    /// <summary>
    /// The request pipeline in its one order (errors as ProblemDetails, sign-in, rate limits, authorization, antiforgery)
    /// and <c>/health</c>. The features' <c>MapX</c> only map endpoints, so their order does not matter either.
    /// </summary>
    public static WebApplication MapInfrastructure(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }
}
