using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Core.Configuration;
using Monitor.Core.Placement;
using Monitor.Server.Infrastructure;

namespace Monitor.Server.Settings;

/// <summary>
/// <c>/api/settings/seeds</c>: the seed mailboxes, as on Settings → Seeds and send paths. Configured seeds are listed
/// read-only; those added here or in the dashboard are changed and removed by address. The IMAP password is write-only.
/// </summary>
internal static class SeedSettingsApi
{
    private const string Path = "/api/settings/seeds";

    public static RouteGroupBuilder MapSeedSettings(this RouteGroupBuilder settings)
    {
        var group = settings.MapGroup("/seeds");
        group.MapGet("/", async (PlacementCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok((await catalog.GetSeedsAsync(cancellationToken)).Select(SeedSettingDto.From).ToArray()));
        group.MapGet("/{address}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{address}", UpdateAsync);
        group.MapDelete("/{address}", DeleteAsync);
        return settings;
    }

    private static async Task<Results<Ok<SeedSettingDto>, ProblemHttpResult>> GetAsync(string address, PlacementCatalog catalog, CancellationToken cancellationToken) =>
        await FindAsync(catalog, address, cancellationToken) is { } seed ? TypedResults.Ok(SeedSettingDto.From(seed)) : SettingResults.NotFound("seed", address);

    private static async Task<Results<Created<SeedSettingDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        BoundedJsonBody<SeedRequest> body, PlacementCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        var seed = body.Value!.ToOptions();
        if (await FindAsync(catalog, seed.Address, cancellationToken) is { } existing)
        {
            return existing.Origin == SettingOrigin.Configuration
                ? SettingResults.FromConfiguration("seed", existing.Seed.Address, "Monitor:Placement:Seeds")
                : SettingResults.AlreadyAdded("seed", existing.Seed.Address, $"{Path}/{existing.Seed.Address}");
        }

        var saved = await catalog.SaveSeedAsync(seed, isNew: true, SettingResults.By(user), cancellationToken);
        if (!saved.IsSaved)
        {
            return SettingResults.Invalid(saved.Problems);
        }

        var stored = await FindAsync(catalog, seed.Address, cancellationToken);
        return TypedResults.Created($"{Path}/{Uri.EscapeDataString(stored!.Seed.Address)}", SeedSettingDto.From(stored));
    }

    private static async Task<Results<Ok<SeedSettingDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string address, BoundedJsonBody<SeedRequest> body, PlacementCatalog catalog, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        if (await FindAsync(catalog, address, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("seed", address);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("seed", existing.Seed.Address, "Monitor:Placement:Seeds");
        }

        var request = body.Value!;
        if (request.Address is { } named && !Same(named, address))
        {
            return SettingResults.Renamed("address", named);
        }

        var seed = request.ToOptions();
        seed.Address = existing.Seed.Address;
        var saved = await catalog.SaveSeedAsync(seed, isNew: false, SettingResults.By(user), cancellationToken);
        return saved.IsSaved
            ? TypedResults.Ok(SeedSettingDto.From((await FindAsync(catalog, address, cancellationToken))!))
            : SettingResults.Invalid(saved.Problems);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string address, PlacementCatalog catalog, CancellationToken cancellationToken)
    {
        if (await FindAsync(catalog, address, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound("seed", address);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration("seed", existing.Seed.Address, "Monitor:Placement:Seeds");
        }

        await catalog.RemoveSeedAsync(existing.Seed.Address, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<CatalogSeed?> FindAsync(PlacementCatalog catalog, string address, CancellationToken cancellationToken) =>
        (await catalog.GetSeedsAsync(cancellationToken)).FirstOrDefault(s => Same(s.Seed.Address, address));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
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
