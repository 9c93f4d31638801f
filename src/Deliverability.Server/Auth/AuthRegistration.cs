using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Deliverability.Server.Infrastructure;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Auth;

public static class AuthRegistration
{
    public const string SignInPath = "/signin";
    private const string CookieOrKeyScheme = "CookieOrApiKey";

    /// <summary>
    /// Identity (users and roles in <see cref="SignInDbContext"/>), the sign-in cookie for the dashboard, API keys in
    /// <c>X-Api-Key</c>, and authorization BY DEFAULT: every endpoint without a policy of its own gets the fallback
    /// policy (signed in, plus <see cref="RequestRoleRequirement"/>: GET = Viewer, other methods under /api = Operator).
    /// Only endpoints that need more (settings, users, API keys) name <see cref="AuthPolicies.Admin"/>.
    /// </summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SignInOptions, SignInOptionsValidator>(SignInOptions.SectionName);

        // The factory also registers the context as scoped, which the Identity stores use.
        services.AddDbContextFactory<SignInDbContext>((sp, options) => options.UseConfiguredStorage(sp, builder.Environment.ContentRootPath), ServiceLifetime.Singleton);
        services.AddSingleton<ApiKeyStore>();

        services.AddIdentityCore<MonitorUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<SignInDbContext>()
            .AddClaimsPrincipalFactory<MonitorUserClaimsPrincipalFactory>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure(identity =>
        {
            identity.User.RequireUniqueEmail = false;
            identity.Password.RequiredLength = 12;
        });
        // Wrong passwords lock a client out of a name (SignInLockout), never the account itself: see PasswordSignIn.
        services.AddSingleton<SignInLockout>();
        services.AddSingleton<DecoyPasswordHash>();
        services.AddScoped<PasswordSignIn>();
        // Sessions signed in with a one-time password may only choose a password (right after authentication).
        services.AddAfterAuthentication<OneTimePasswordGate>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieOrKeyScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(CookieOrKeyScheme, "Cookie or API key", options =>
                options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        // The cookie's user is read again from the store this often: a new role applies, a deleted user or a changed
        // security stamp signs out. Open dashboards are checked on the same interval by the provider below.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SignInOptions>, TimeProvider>((stamp, signIn, time) =>
        {
            stamp.ValidationInterval = signIn.Value.RevalidationInterval;
            stamp.TimeProvider = time;
        });
        // Replaces the server's default provider whether AddDashboard (which adds that default) ran before or after.
        services.Replace(ServiceDescriptor.Scoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>());
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = SignInPath;
            cookie.AccessDeniedPath = "/access-denied";
            cookie.Cookie.Name = "monitor.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the browser uses https, directly or through a proxy named in ForwardedHeaders; "Always"
            // would break sign-in on a plain-http local install.
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            // A script or a SignalR client gets a status code, not a redirect to an HTML page.
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.Configure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        services.AddSingleton<IAuthorizationHandler, RequestRoleHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Viewer, p => p.RequireRole(MonitorRoles.AtLeast(MonitorRoles.Viewer)))
            .AddPolicy(AuthPolicies.Operator, p => p.RequireRole(MonitorRoles.AtLeast(MonitorRoles.Operator)))
            .AddPolicy(AuthPolicies.Admin, p => p.RequireRole(MonitorRoles.AtLeast(MonitorRoles.Admin)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new RequestRoleRequirement()).Build());

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only posts of the sign-in form are limited, per client address: guessing passwords gets slow, pages do not.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments(SignInPath, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var perMinute = context.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(SignInClient.KeyOf(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });

        services.AddHostedService<SignInSetup>();
        return builder;
    }

    /// <summary><c>POST /signout</c> and <c>/api/api-keys</c>; the middleware is in the pipeline of <c>MapInfrastructure</c>.</summary>
    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapPost("/signout", async ([FromForm] string? returnUrl, SignInManager<MonitorUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(SignInPath);
        }).ExcludeFromDescription();
        app.MapApiKeysApi();
        return app;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
