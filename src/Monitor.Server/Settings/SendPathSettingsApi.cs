using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Core.Configuration;
using Monitor.Core.Placement;
using Monitor.Server.Infrastructure;

namespace Monitor.Server.Settings;

/// <summary>
/// <c>/api/settings/send-paths</c>: the SMTP servers placement tests are sent through, as on Settings → Seeds and send
/// paths. Configured ones are listed read-only; those added here or in the dashboard are changed and removed by name.
/// The SMTP password is write-only.
/// </summary>
internal static class SendPathSettingsApi
{
    private const string Path = "/api/settings/send-paths";

    public static RouteGroupBuilder MapSendPathSettings(this RouteGroupBuilder settings)
    {
        var group = settings.MapGroup("/send-paths");
        group.MapGet("/", async (PlacementCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok((await catalog.GetSendPathsAsync(cancellationToken)).Select(SendPathSettingDto.From).ToArray()));
        group.MapGet("/{name}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{name}", UpdateAsync);
        group.MapDelete("/{name}", DeleteAsync);
        return settings;
    }

    private static async Task<Results<Ok<SendPathSettingDto>, ProblemHttpResult>> GetAsync(string name, PlacementCatalog catalog, CancellationToken cancellationToken) =>
        await FindAsync(catalog, name, cancellationToken) is { } path ? TypedResults.Ok(SendPathSettingDto.From(path)) : SettingResults.NotFound("send path", name);

    private static async Task<Results<Created<SendPathSettingDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        BoundedJsonBody<SendPathRequest> body, PlacementCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        var path = body.Value!.ToOptions();
        if (await FindAsync(catalog, path.Name, cancellationToken) is { } existing)
        {
            return existing.Origin == SettingOrigin.Configuration
                ? SettingResults.FromConfiguration("send path", existing.Path.Name, "Monitor:Placement:SendPaths")
                : SettingResults.AlreadyAdded("send path", existing.Path.Name, $"{Path}/{existing.Path.Name}");
        }

        var saved = await catalog.SaveSendPathAsync(path, isNew: true, SettingResults.By(user), cancellationToken);
        if (!saved.IsSaved)
        {
            return SettingResults.Invalid(saved.Problems);
        }

        var stored = await FindAsync(catalog, path.Name, cancellationToken);
        return TypedResults.Created($"{Path}/{Uri.EscapeDataString(stored!.Path.Name)}", SendPathSettingDto.From(stored));
    }

    private static async Task<Results<Ok<SendPathSettingDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, BoundedJsonBody<SendPathRequest> body, PlacementCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        if (await FindAsync(catalog, name, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("send path", name);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("send path", existing.Path.Name, "Monitor:Placement:SendPaths");
        }

        var request = body.Value!;
        if (request.Name is { } named && !Same(named, name))
        {
            return SettingResults.Renamed("name", named);
        }

        var path = request.ToOptions();
        path.Name = existing.Path.Name;
        var saved = await catalog.SaveSendPathAsync(path, isNew: false, SettingResults.By(user), cancellationToken);
        return saved.IsSaved
            ? TypedResults.Ok(SendPathSettingDto.From((await FindAsync(catalog, name, cancellationToken))!))
            : SettingResults.Invalid(saved.Problems);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, PlacementCatalog catalog, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, name, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("send path", name);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("send path", existing.Path.Name, "Monitor:Placement:SendPaths");
        }

        await catalog.RemoveSendPathAsync(existing.Path.Name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<CatalogSendPath?> FindAsync(PlacementCatalog catalog, string name, CancellationToken cancellationToken) =>
        (await catalog.GetSendPathsAsync(cancellationToken)).FirstOrDefault(p => Same(p.Path.Name, name));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A send path to add or change: the shape of an item of <c>Monitor:Placement:SendPaths</c>. A field left out takes the
/// default configuration gives it; a password left out (or empty) keeps the stored one when changing (while a user is
/// set). Unknown fields are refused.
/// </summary>
/// <param name="Port">0 or left out: the usual port of <paramref name="Security"/> (587 for starttls, 465 for ssl, 25 for none).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SendPathRequest(string? Name, string? Host, int? Port, string? Security, string? User, string? Password, string? EnvelopeSender)
{
    public SendPathOptions ToOptions()
    {
        var path = new SendPathOptions();
        path.Name = Name ?? path.Name;
        path.Host = Host ?? path.Host;
        path.Port = Port ?? path.Port;
        path.Security = Security ?? path.Security;
        path.User = User ?? path.User;
        path.Password = Password ?? path.Password;
        path.EnvelopeSender = EnvelopeSender ?? path.EnvelopeSender;
        return path;
    }
}

/// <summary>A send path as the settings API shows it: the password only as <see cref="PasswordSet"/>.</summary>
/// <param name="Port">As set: 0 is the usual port of <paramref name="Security"/>.</param>
/// <param name="Source"><c>configuration</c> (read-only) or <c>dashboard</c>.</param>
public sealed record SendPathSettingDto(string Name, string Host, int Port, string Security, string User, bool PasswordSet, string EnvelopeSender, string Source, bool PasswordUnreadable)
{
    public static SendPathSettingDto From(CatalogSendPath item)
    {
        var path = item.Path;
        return new(path.Name, path.Host, path.Port, path.Security, path.User, item.HasPassword, path.EnvelopeSender, SettingResults.Source(item.Origin), item.PasswordUnreadable);
    }
}
