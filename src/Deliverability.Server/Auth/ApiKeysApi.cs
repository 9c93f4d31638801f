using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Deliverability.Server.Auth;

public sealed record CreateApiKeyRequest(string? Name, string? Role);

/// <summary>The key's value is in <see cref="Key"/> of the creation answer only; it cannot be read again.</summary>
public sealed record CreatedApiKeyDto(long Id, string Name, string Role, string Prefix, string Key);

/// <summary><c>/api/api-keys</c>: list, create and revoke API keys. Admin only.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/api-keys").WithTags("API keys").RequireAuthorization(AuthPolicies.Admin);
        group.MapGet("/", async (ApiKeyStore keys, CancellationToken ct) => TypedResults.Ok(await keys.ListAsync(ct)));
        group.MapPost("/", CreateAsync);
        group.MapDelete("/{id:long}", RevokeAsync);
        return app;
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem>> CreateAsync(CreateApiKeyRequest request, ApiKeyStore keys, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (ApiKeyName.Problem(request.Name) is { } nameProblem)
        {
            errors["name"] = [nameProblem];
        }

        if (MonitorRoles.Parse(request.Role) is null)
        {
            errors["role"] = [$"'{request.Role}' is not a role ({string.Join(", ", MonitorRoles.All)})."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await keys.CreateAsync(request.Name!, request.Role!, user.Identity?.Name ?? "unknown", ct);
        return TypedResults.Created($"/api/api-keys/{created.Info.Id}", new CreatedApiKeyDto(created.Info.Id, created.Info.Name, created.Info.Role, created.Info.Prefix, created.Key));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(long id, ApiKeyStore keys, CancellationToken ct) =>
        await keys.RevokeAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
