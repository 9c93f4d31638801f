using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Configuration;

namespace Deliverability.Server.Settings;

/// <summary>
/// <c>/api/settings/receivers</c>: the alert receivers, as on Settings → Alert receivers, by name. The URL, routing key
/// and SMTP password are write-only. (<c>/api/alerts/receivers</c> lists them for every role and sends test notifications.)
/// </summary>
internal sealed class ReceiverSettings(AlertReceiverCatalog catalog) : ISettingItems<ReceiverRequest, ReceiverSettingDto>
{
    public string What => "receiver";

    public string KeyField => "name";

    public string Section => "Monitor:Alerts:Receivers";

    public string Path => "/api/settings/receivers";

    public async Task<IReadOnlyList<SettingItem<ReceiverSettingDto>>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await catalog.GetAllAsync(cancellationToken)).Select(r => new SettingItem<ReceiverSettingDto>(r.Name, r.Origin, ReceiverSettingDto.From(r)))];

    public string? KeyOf(ReceiverRequest request) => request.Name;

    public Task<SettingSave> SaveAsync(ReceiverRequest request, string key, bool isNew, string by, CancellationToken cancellationToken)
    {
        var receiver = request.ToOptions();
        receiver.Name = key;
        return catalog.SaveAsync(receiver, isNew, by, cancellationToken);
    }

    /// <summary>As on the page: not while a route names it, as every notification of that route would then fail.</summary>
    public async Task<ProblemHttpResult?> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var namedBy = catalog.RoutesNaming(key);
        if (namedBy.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A route names the receiver",
                detail: $"The receiver '{key}' is not removed: {string.Join(", ", namedBy)} names it. Remove it from the route (in configuration) first.");
        }

        await catalog.RemoveAsync(key, cancellationToken);
        return null;
    }
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
