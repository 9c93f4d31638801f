using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Auth;

/// <summary>
/// A session signed in with a one-time password (the first administrator's from the log, or one an Admin gave out) may
/// choose its own password and sign out, nothing else: pages redirect to <see cref="PasswordPath"/>, every other request
/// (<c>/api</c>, <c>/hubs</c>, the dashboard's circuit) gets 403 with problem details. Without this the one-time password
/// printed in the log would stay a working credential. API keys are not sessions and never carry the mark.
/// </summary>
internal sealed class OneTimePasswordGate(RequestDelegate next)
{
    public const string PasswordPath = "/account/password";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!OneTimePasswordClaim.IsOn(context.User) || IsAllowed(context))
        {
            await next(context);
            return;
        }

        var path = context.Request.Path;
        var isPage = (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/hubs") && !path.StartsWithSegments("/_blazor");
        if (isPage)
        {
            context.Response.Redirect(PasswordPath);
            return;
        }

        await TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Password change required",
            detail: $"This session signed in with a one-time password. Choose your own password at {PasswordPath} first; until then it may do nothing else.").ExecuteAsync(context);
    }

    // The password page itself, signing out, and what is open to everyone anyway (sign-in page, static files, /health).
    private static bool IsAllowed(HttpContext context) =>
        context.Request.Path.Equals(PasswordPath, StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.Equals("/signout", StringComparison.OrdinalIgnoreCase)
        || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
}

/// <summary>The mark a sign-in cookie carries while its user's password is a one-time password.</summary>
public static class OneTimePasswordClaim
{
    public const string Type = "monitor:one_time_password";

    public static bool IsOn(ClaimsPrincipal user) => user.HasClaim(Type, "true");
}

/// <summary>
/// Identity's claims plus <see cref="OneTimePasswordClaim"/> while <see cref="MonitorUser.MustChangePassword"/> is set. Every
/// cookie is made here (sign-in, refresh after a password change, the periodic security-stamp check), so the mark
/// follows the stored flag.
/// </summary>
internal sealed class MonitorUserClaimsPrincipalFactory(UserManager<MonitorUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<MonitorUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(MonitorUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(OneTimePasswordClaim.Type, "true"));
        }

        return identity;
    }
}
