using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Deliverability.Server.Auth;

namespace Deliverability.Server.Metrics;

/// <summary>
/// Who may read <c>/metrics</c>: a Viewer or above (signed in, or an API key), or a client that sends the configured
/// <see cref="MetricsOptions.ScrapeToken"/> as a bearer token (Prometheus).
/// </summary>
public sealed class ScrapeAccessRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "MetricsScrape";
}

internal static class ScrapeAccess
{
    /// <summary>Lets the scrape through when <see cref="ScrapeAccessRequirement.PolicyName"/> holds; otherwise 401, or 403 for a signed-in user below Viewer.</summary>
    public static async Task RequireAsync(HttpContext context, RequestDelegate next)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(context.User, context, ScrapeAccessRequirement.PolicyName)).Succeeded)
        {
            await next(context);
            return;
        }

        var signedIn = context.User.Identity?.IsAuthenticated == true;
        context.Response.StatusCode = signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        if (!signedIn)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
        }
    }
}

internal sealed class ScrapeAccessHandler(IOptionsMonitor<MetricsOptions> options) : AuthorizationHandler<ScrapeAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScrapeAccessRequirement requirement)
    {
        if (MonitorRoles.AtLeast(MonitorRoles.Viewer).Any(context.User.IsInRole)
            || (context.Resource is HttpContext http && CarriesScrapeToken(http.Request, options.CurrentValue.ScrapeToken)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static bool CarriesScrapeToken(HttpRequest request, string? token)
    {
        const string bearer = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token) || !header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Constant time: the comparison must not tell how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[bearer.Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
