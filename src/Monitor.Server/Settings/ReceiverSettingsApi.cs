using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Core.Alerts.Notifications;
using Monitor.Core.Configuration;
using Monitor.Server.Infrastructure;

namespace Monitor.Server.Settings;

/// <summary>
/// <c>/api/settings/receivers</c>: the alert receivers, as on Settings → Alert receivers. Configured ones are listed
/// read-only; those added here or in the dashboard are changed and removed by name. The URL, routing key and SMTP
/// password are write-only. (<c>/api/alerts/receivers</c> lists them for every role and sends test notifications.)
/// </summary>
internal static class ReceiverSettingsApi
{
    private const string Path = "/api/settings/receivers";

    public static RouteGroupBuilder MapReceiverSettings(this RouteGroupBuilder settings)
    {
        var group = settings.MapGroup("/receivers");
        group.MapGet("/", async (AlertReceiverCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok((await catalog.GetAllAsync(cancellationToken)).Select(ReceiverSettingDto.From).ToArray()));
        group.MapGet("/{name}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{name}", UpdateAsync);
        group.MapDelete("/{name}", DeleteAsync);
        return settings;
    }

    private static async Task<Results<Ok<ReceiverSettingDto>, ProblemHttpResult>> GetAsync(string name, AlertReceiverCatalog catalog, CancellationToken cancellationToken) =>
        await FindAsync(catalog, name, cancellationToken) is { } receiver ? TypedResults.Ok(ReceiverSettingDto.From(receiver)) : SettingResults.NotFound("receiver", name);

    private static async Task<Results<Created<ReceiverSettingDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        BoundedJsonBody<ReceiverRequest> body, AlertReceiverCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        var receiver = body.Value!.ToOptions();
        if (await FindAsync(catalog, receiver.Name, cancellationToken) is { } existing)
        {
            return existing.Origin == SettingOrigin.Configuration
                ? SettingResults.FromConfiguration("receiver", existing.Name, "Monitor:Alerts:Receivers")
                : SettingResults.AlreadyAdded("receiver", existing.Name, $"{Path}/{existing.Name}");
        }

        var saved = await catalog.SaveAsync(receiver, isNew: true, SettingResults.By(user), cancellationToken);
        if (!saved.IsSaved)
        {
            return SettingResults.Invalid(saved.Problems);
        }

        var stored = await FindAsync(catalog, receiver.Name, cancellationToken);
        return TypedResults.Created($"{Path}/{Uri.EscapeDataString(stored!.Name)}", ReceiverSettingDto.From(stored));
    }

    private static async Task<Results<Ok<ReceiverSettingDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, BoundedJsonBody<ReceiverRequest> body, AlertReceiverCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        if (await FindAsync(catalog, name, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("receiver", name);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("receiver", existing.Name, "Monitor:Alerts:Receivers");
        }

        var request = body.Value!;
        if (request.Name is { } named && !Same(named, name))
        {
            return SettingResults.Renamed("name", named);
        }

        var receiver = request.ToOptions();
        receiver.Name = existing.Name;
        var saved = await catalog.SaveAsync(receiver, isNew: false, SettingResults.By(user), cancellationToken);
        return saved.IsSaved
            ? TypedResults.Ok(ReceiverSettingDto.From((await FindAsync(catalog, name, cancellationToken))!))
            : SettingResults.Invalid(saved.Problems);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, AlertReceiverCatalog catalog, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, name, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("receiver", name);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("receiver", existing.Name, "Monitor:Alerts:Receivers");
        }

        // As on the page: a route that names it would fail every notification, so the route is changed first.
        var namedBy = catalog.RoutesNaming(existing.Name);
        if (namedBy.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A route names the receiver",
                detail: $"The receiver '{existing.Name}' is not removed: {string.Join(", ", namedBy)} names it. Remove it from the route (in configuration) first.");
        }

        await catalog.RemoveAsync(existing.Name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<CatalogReceiver?> FindAsync(AlertReceiverCatalog catalog, string name, CancellationToken cancellationToken) =>
        (await catalog.GetAllAsync(cancellationToken)).FirstOrDefault(r => Same(r.Name, name));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A receiver to add or change: the shape of an item of <c>Monitor:Alerts:Receivers</c> (without <c>Timeout</c>,
/// <c>MaxAttempts</c> and <c>MaxAlerts</c>, which only configuration sets). A field left out takes the default
/// configuration gives it; the URL, routing key or password left out (or empty) keeps the stored one when changing.
/// Only the fields of the type are kept. Unknown fields are refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReceiverRequest(string? Name, string? Type, string? Url, string? RoutingKey, EmailReceiverRequest? Email, bool? SendResolved)
{
    public ReceiverOptions ToOptions()
    {
        var receiver = new ReceiverOptions();
        var email = receiver.Email;
        receiver.Name = Name ?? receiver.Name;
        receiver.Type = Type ?? receiver.Type;
        receiver.Url = Url;
        receiver.RoutingKey = RoutingKey;
        receiver.SendResolved = SendResolved ?? receiver.SendResolved;
        email.Host = Email?.Host;
        email.Port = Email?.Port ?? email.Port;
        email.Security = Email?.Security ?? email.Security;
        email.User = Email?.User;
        email.Password = Email?.Password;
        email.From = Email?.From;
        email.To = [.. (Email?.To ?? []).Select(t => t ?? "")];
        return receiver;
    }
}

/// <param name="Security"><c>StartTls</c> (default), <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> (or <c>ssl</c>), <c>Auto</c> or <c>None</c>; <c>tls</c> is refused as ambiguous.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EmailReceiverRequest(string? Host, int? Port, string? Security, string? User, string? Password, string? From, string?[]? To);

/// <summary>A receiver as the settings API shows it: the URL, routing key and password only as <c>...Set</c>.</summary>
/// <param name="Email">The SMTP settings of an email receiver; null for the other types.</param>
/// <param name="Source"><c>configuration</c> (read-only) or <c>dashboard</c>.</param>
/// <param name="SecretUnreadable">Stored with data-protection keys no longer in use: no notification goes to it until its secrets are sent again.</param>
public sealed record ReceiverSettingDto(string Name, string Type, bool UrlSet, bool RoutingKeySet, EmailReceiverSettingDto? Email, bool SendResolved, string Source, bool SecretUnreadable)
{
    public static ReceiverSettingDto From(CatalogReceiver item)
    {
        var receiver = item.Receiver;
        var email = receiver.ParsedType == ReceiverType.Email
            ? new EmailReceiverSettingDto(receiver.Email.Host, receiver.Email.Port, receiver.Email.Security, receiver.Email.User, item.HasEmailPassword, receiver.Email.From, [.. receiver.Email.To])
            : null;
        return new(
            item.Name,
            receiver.ParsedType?.ToString().ToLowerInvariant() ?? receiver.Type,
            item.HasUrl,
            item.HasRoutingKey,
            email,
            receiver.SendResolved,
            SettingResults.Source(item.Origin),
            item.SecretUnreadable);
    }
}

public sealed record EmailReceiverSettingDto(string? Host, int Port, string Security, string? User, bool PasswordSet, string? From, IReadOnlyList<string> To);
