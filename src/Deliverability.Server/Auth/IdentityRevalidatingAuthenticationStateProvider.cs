using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Auth;

/// <summary>
/// An open dashboard (a Blazor circuit) keeps the user it was opened with; this checks that user against the user store
/// every <see cref="SignInOptions.RevalidationInterval"/> and signs the circuit out (its pages then refuse every action
/// and a reload signs in again with the cookie, which carries the new role) when the user was deleted, given another
/// role, or had their security stamp changed. The Blazor template's provider of the same name, plus the role check.
/// A lockout after wrong passwords is not checked: someone else guessing must not sign the real user out.
/// </summary>
public sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identity,
    IOptions<SignInOptions> signIn)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => signIn.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await IsStillValidAsync(scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>(), identity.Value, authenticationState.User);
    }

    /// <summary>Whether <paramref name="principal"/> (as signed in) still matches its user: present, same stamp, same roles.</summary>
    public static async Task<bool> IsStillValidAsync(UserManager<MonitorUser> users, IdentityOptions identity, ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, AuthenticationType: var scheme } || scheme != IdentityConstants.ApplicationScheme)
        {
            return true; // anonymous, or not a signed-in user (an API key is checked on every request)
        }

        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (users.SupportsUserSecurityStamp && principal.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType) != await users.GetSecurityStampAsync(user))
        {
            return false;
        }

        var roles = await users.GetRolesAsync(user);
        var signedInRoles = principal.FindAll(identity.ClaimsIdentity.RoleClaimType).Select(c => c.Value);
        return roles.Order(StringComparer.Ordinal).SequenceEqual(signedInRoles.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
