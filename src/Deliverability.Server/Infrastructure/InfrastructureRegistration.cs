using Microsoft.Extensions.Options;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Metrics;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// What every feature shares, registered once and only here, so the features' <c>AddX</c> calls may come in any order:
/// each registers only what it owns and finds the rest in the container when the host is built.
/// </summary>
public static class InfrastructureRegistration
{
    /// <summary>
    /// The clock, the <c>Dns</c> section and the resolver, storage (<c>Storage</c>), the live feeds, the metrics the features record, Data Protection for
    /// stored secrets, the Quartz scheduler with its persistent job store, the trusted reverse proxies
    /// (<c>ForwardedHeaders</c>), typed input kept out of the logs, ProblemDetails, and the framework services the request
    /// pipeline of <see cref="MapInfrastructure"/> needs. A bad value stops start-up naming its key.
    /// </summary>
    public static WebApplicationBuilder AddInfrastructure(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        services.AddValidatedOptions<DnsOptions, DnsOptionsValidator>(DnsOptions.SectionName);
        services.AddSingleton<IDnsResolver>(sp => new DnsStubResolver(sp.GetRequiredService<IOptions<DnsOptions>>().Value));

        // One feed per event type (audits completed, alert changes, listings, placement runs), shared by publishers and pages.
        services.AddSingleton(typeof(LiveFeed<>));
        // What the features measure (audits, blacklists, placement, alerts, ...), on the one Deliverability meter.
        services.AddMetrics();
        services.AddSingleton<DeliverabilityMetrics>();

        builder.AddStorage();
        builder.AddSecrets();
        builder.AddScheduler();
        builder.AddTrustedProxies();
        builder.KeepTypedInputOutOfLogs();

        services.AddProblemDetails();
        // The pipeline below uses these whatever the features register; AddAuth adds the schemes, policies and limits.
        services.AddAuthentication();
        services.AddAuthorization();
        services.AddRateLimiter(_ => { });
        services.AddAntiforgery();
        return builder;
    }

    /// <summary>
    /// Puts <typeparamref name="TMiddleware"/> into the request pipeline right after authentication, before rate limits and
    /// authorization: for a feature whose middleware needs the signed-in user. The pipeline's order stays
    /// <see cref="MapInfrastructure"/>'s, whatever the order of the features' registrations.
    /// </summary>
    public static IServiceCollection AddAfterAuthentication<TMiddleware>(this IServiceCollection services)
        where TMiddleware : class
    {
        services.AddSingleton(new AfterAuthentication(typeof(TMiddleware)));
        return services;
    }

    /// <summary>
    /// The request pipeline in its one order (the trusted proxies' forwarded headers, errors as ProblemDetails,
    /// authentication and what features add after it, rate limits, authorization, antiforgery) and <c>/health</c>. The
    /// features' <c>MapX</c> only map endpoints, so their order does not matter either.
    /// </summary>
    public static WebApplication MapInfrastructure(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        foreach (var step in app.Services.GetServices<AfterAuthentication>())
        {
            app.UseMiddleware(step.Middleware);
        }

        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthChecks("/health").AllowAnonymous();
        return app;
    }
}

/// <summary>A middleware of a feature that runs right after authentication (<see cref="InfrastructureRegistration.AddAfterAuthentication{TMiddleware}"/>).</summary>
internal sealed record AfterAuthentication(Type Middleware);
