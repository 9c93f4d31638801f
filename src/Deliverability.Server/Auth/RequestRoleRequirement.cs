using Microsoft.AspNetCore.Authorization;

namespace Deliverability.Server.Auth;

/// <summary>
/// The fallback rule for every endpoint that declares no policy of its own (pages, and the API endpoints that other
/// features add without knowing about sign-in): reading needs Viewer; changing anything under <c>/api</c> needs Operator.
/// </summary>
public sealed class RequestRoleRequirement : IAuthorizationRequirement
{
    /// <summary>
    /// The role a request needs. Under <c>/api</c>: GET, HEAD and OPTIONS read (Viewer), every other method changes
    /// something (Operator). Pages, the Blazor circuit and <c>/hubs</c> need Viewer: a SignalR client negotiates with a
    /// POST whatever it then does, so a hub method that changes state declares its own policy.
    /// </summary>
    public static string RequiredRole(PathString path, string method)
    {
        if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? MonitorRoles.Viewer : MonitorRoles.Operator;
        }

        return MonitorRoles.Viewer;
    }
}

internal sealed class RequestRoleHandler : AuthorizationHandler<RequestRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RequestRoleRequirement requirement)
    {
        var required = context.Resource is HttpContext http ? RequestRoleRequirement.RequiredRole(http.Request.Path, http.Request.Method) : MonitorRoles.Viewer;
        if (MonitorRoles.AtLeast(required).Any(context.User.IsInRole))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
