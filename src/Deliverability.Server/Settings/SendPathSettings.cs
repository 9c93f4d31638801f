using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;

namespace Deliverability.Server.Settings;

/// <summary>
/// <c>/api/settings/send-paths</c>: the SMTP servers placement tests are sent through, as on Settings → Seeds and send
/// paths, by name. The SMTP password is write-only.
/// </summary>
internal sealed class SendPathSettings(PlacementCatalog catalog) : ISettingItems<SendPathRequest, SendPathSettingDto>
{
    public string What => "send path";

    public string KeyField => "name";

    public string Section => "Monitor:Placement:SendPaths";

    public string Path => "/api/settings/send-paths";

    public async Task<IReadOnlyList<SettingItem<SendPathSettingDto>>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await catalog.GetSendPathsAsync(cancellationToken)).Select(p => new SettingItem<SendPathSettingDto>(p.Path.Name.Trim(), p.Origin, SendPathSettingDto.From(p)))];

    public string? KeyOf(SendPathRequest request) => request.Name;

    public Task<SettingSave> SaveAsync(SendPathRequest request, string key, bool isNew, string by, CancellationToken cancellationToken)
    {
        var path = request.ToOptions();
        path.Name = key;
        return catalog.SaveSendPathAsync(path, isNew, by, cancellationToken);
    }

    public async Task<ProblemHttpResult?> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await catalog.RemoveSendPathAsync(key, cancellationToken);
        return null;
    }
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
