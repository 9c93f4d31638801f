using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;

namespace Deliverability.Server.Settings;

/// <summary>
/// <c>/api/settings/seeds</c>: the seed mailboxes, as on Settings → Seeds and send paths, by address. The IMAP password
/// is write-only.
/// </summary>
internal sealed class SeedSettings(PlacementCatalog catalog) : ISettingItems<SeedRequest, SeedSettingDto>
{
    public string What => "seed";

    public string KeyField => "address";

    public string Section => "Monitor:Placement:Seeds";

    public string Path => "/api/settings/seeds";

    public async Task<IReadOnlyList<SettingItem<SeedSettingDto>>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await catalog.GetSeedsAsync(cancellationToken)).Select(s => new SettingItem<SeedSettingDto>(s.Seed.Address.Trim(), s.Origin, SeedSettingDto.From(s)))];

    public string? KeyOf(SeedRequest request) => request.Address;

    public Task<SettingSave> SaveAsync(SeedRequest request, string key, bool isNew, string by, CancellationToken cancellationToken)
    {
        var seed = request.ToOptions();
        seed.Address = key;
        return catalog.SaveSeedAsync(seed, isNew, by, cancellationToken);
    }

    public async Task<ProblemHttpResult?> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await catalog.RemoveSeedAsync(key, cancellationToken);
        return null;
    }
}

/// <summary>
/// A seed to add or change: the shape of an item of <c>Monitor:Placement:Seeds</c>. A field left out takes the default
/// configuration gives it; a password left out (or empty) keeps the stored one when changing. Unknown fields are refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedRequest(string? Provider, string? Address, ImapAccountRequest? Imap, SeedFoldersRequest? Folders)
{
    public SeedMailboxOptions ToOptions()
    {
        var seed = new SeedMailboxOptions();
        var imap = seed.Imap;
        seed.Provider = Provider ?? seed.Provider;
        seed.Address = Address ?? seed.Address;
        imap.Host = Imap?.Host ?? imap.Host;
        imap.Port = Imap?.Port ?? imap.Port;
        imap.Security = Imap?.Security ?? imap.Security;
        imap.User = Imap?.User ?? imap.User;
        imap.Password = Imap?.Password ?? imap.Password;
        seed.Folders.Inbox = Folders?.Inbox;
        seed.Folders.Spam = Folders?.Spam;
        seed.Folders.Other = [.. (Folders?.Other ?? []).Select(f => f ?? "")];
        return seed;
    }
}

/// <param name="Port">0 or left out: the usual port of <paramref name="Security"/> (993 for ssl, 143 otherwise).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ImapAccountRequest(string? Host, int? Port, string? Security, string? User, string? Password);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedFoldersRequest(string? Inbox, string? Spam, string?[]? Other);

/// <summary>A seed as the settings API shows it: the password only as <see cref="ImapAccountSettingDto.PasswordSet"/>.</summary>
/// <param name="Source"><c>configuration</c> (read-only) or <c>dashboard</c>.</param>
/// <param name="PasswordUnreadable">Stored with data-protection keys no longer in use: left out of runs until the password is sent again.</param>
public sealed record SeedSettingDto(string Provider, string Address, ImapAccountSettingDto Imap, SeedFoldersDto Folders, string Source, bool PasswordUnreadable)
{
    public static SeedSettingDto From(CatalogSeed item)
    {
        var seed = item.Seed;
        return new(
            seed.Provider,
            seed.Address,
            new ImapAccountSettingDto(seed.Imap.Host, seed.Imap.Port, seed.Imap.Security, seed.Imap.User, item.HasPassword),
            new SeedFoldersDto(seed.Folders.Inbox, seed.Folders.Spam, [.. seed.Folders.Other]),
            SettingResults.Source(item.Origin),
            item.PasswordUnreadable);
    }
}

/// <param name="Port">As set: 0 is the usual port of <paramref name="Security"/>.</param>
public sealed record ImapAccountSettingDto(string Host, int Port, string Security, string User, bool PasswordSet);

public sealed record SeedFoldersDto(string? Inbox, string? Spam, IReadOnlyList<string> Other);
