using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Configuration;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Settings;

/// <summary>One item of a list the settings API edits, by its key (a name or an address), with what the API shows of it.</summary>
internal sealed record SettingItem<TDto>(string Key, SettingOrigin Origin, TDto Dto);

/// <summary>
/// A list of items the settings API edits (seeds, send paths, receivers): the configured ones first, read-only, then
/// those added in the dashboard, each named by a key no two share. An implementation only adapts a catalog: the rules
/// are the catalog's, which the settings page saves through too.
/// </summary>
internal interface ISettingItems<TRequest, TDto>
{
    /// <summary>What an item is called in messages: <c>seed</c>.</summary>
    string What { get; }

    /// <summary>The field of the body that holds the key: <c>address</c>.</summary>
    string KeyField { get; }

    /// <summary>Where configured items are set: <c>Monitor:Placement:Seeds</c>.</summary>
    string Section { get; }

    /// <summary>The address of the list: <c>/api/settings/seeds</c>.</summary>
    string Path { get; }

    Task<IReadOnlyList<SettingItem<TDto>>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The key the body names, or null when it names none.</summary>
    string? KeyOf(TRequest request);

    /// <summary>Stores <paramref name="request"/> as the item <paramref name="key"/>, or answers its problems (nothing stored).</summary>
    Task<SettingSave> SaveAsync(TRequest request, string key, bool isNew, string by, CancellationToken cancellationToken);

    /// <summary>The key as the list writes it, for a key from the request's address (a domain's U-label as its A-label).</summary>
    string Canonical(string key) => key;

    /// <summary>Removes the dashboard item <paramref name="key"/>; or answers why it may not be removed now.</summary>
    Task<ProblemHttpResult?> RemoveAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// The five endpoints of an <see cref="ISettingItems{TRequest, TDto}"/>, as the settings page behaves: list and read
/// every item; create (409 when the key is taken, by configuration or the dashboard); change and delete only what was
/// added in the dashboard (409 for a configured item, 404 for an unknown one). Every problem of an item at once (400).
/// </summary>
internal static class SettingItemsApi
{
    public static RouteGroupBuilder MapSettingItems<TItems, TRequest, TDto>(this RouteGroupBuilder settings, string path)
        where TItems : ISettingItems<TRequest, TDto>
        where TRequest : class
    {
        // The handlers take no parameter of a generic type: the framework's route handler analyzer fails on those (it is
        // fixed in .NET 11). The list and the body are read from the request's services and body instead.
        var group = settings.MapGroup(path);
        group.MapGet("/", async (HttpContext context, CancellationToken cancellationToken) =>
            TypedResults.Ok((await Items<TItems>(context).ListAsync(cancellationToken)).Select(i => i.Dto).ToArray()));
        group.MapGet("/{key}", (string key, HttpContext context, CancellationToken cancellationToken) =>
            GetAsync<TItems, TRequest, TDto>(key, Items<TItems>(context), cancellationToken));
        group.MapPost("/", async (HttpContext context, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            await CreateAsync<TItems, TRequest, TDto>(await BoundedJsonBody<TRequest>.ReadAsync(context), Items<TItems>(context), user, cancellationToken));
        group.MapPut("/{key}", async (string key, HttpContext context, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            await UpdateAsync<TItems, TRequest, TDto>(key, await BoundedJsonBody<TRequest>.ReadAsync(context), Items<TItems>(context), user, cancellationToken));
        group.MapDelete("/{key}", (string key, HttpContext context, CancellationToken cancellationToken) =>
            DeleteAsync<TItems, TRequest, TDto>(key, Items<TItems>(context), cancellationToken));
        return settings;
    }

    private static async Task<Results<Ok<TDto>, ProblemHttpResult>> GetAsync<TItems, TRequest, TDto>(string key, TItems items, CancellationToken cancellationToken)
        where TItems : ISettingItems<TRequest, TDto> =>
        await FindAsync<TRequest, TDto>(items, key, cancellationToken) is { } item ? TypedResults.Ok(item.Dto) : SettingResults.NotFound(items.What, key);

    private static async Task<Results<Created<TDto>, ValidationProblem, ProblemHttpResult>> CreateAsync<TItems, TRequest, TDto>(
        BoundedJsonBody<TRequest> body, TItems items, ClaimsPrincipal user, CancellationToken cancellationToken)
        where TItems : ISettingItems<TRequest, TDto>
        where TRequest : class
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        var key = items.KeyOf(body.Value!)?.Trim() ?? "";
        if (await FindAsync<TRequest, TDto>(items, key, cancellationToken) is { } existing)
        {
            return existing.Origin == SettingOrigin.Configuration
                ? SettingResults.FromConfiguration(items.What, existing.Key, items.Section)
                : SettingResults.AlreadyAdded(items.What, existing.Key, $"{items.Path}/{existing.Key}");
        }

        var saved = await items.SaveAsync(body.Value!, key, isNew: true, SettingResults.By(user), cancellationToken);
        if (!saved.IsSaved)
        {
            return SettingResults.Invalid(saved.Problems);
        }

        var stored = (await FindAsync<TRequest, TDto>(items, key, cancellationToken))!;
        return TypedResults.Created($"{items.Path}/{Uri.EscapeDataString(stored.Key)}", stored.Dto);
    }

    private static async Task<Results<Ok<TDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync<TItems, TRequest, TDto>(
        string key, BoundedJsonBody<TRequest> body, TItems items, ClaimsPrincipal user, CancellationToken cancellationToken)
        where TItems : ISettingItems<TRequest, TDto>
        where TRequest : class
    {
        if (SettingResults.BodyProblem(body) is { } bodyProblem)
        {
            return bodyProblem;
        }

        if (await FindAsync<TRequest, TDto>(items, key, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound(items.What, key);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration(items.What, existing.Key, items.Section);
        }

        if (items.KeyOf(body.Value!) is { } named && !Same(named, items.Canonical(key.Trim())))
        {
            return SettingResults.Renamed(items.KeyField, named);
        }

        var saved = await items.SaveAsync(body.Value!, existing.Key, isNew: false, SettingResults.By(user), cancellationToken);
        return saved.IsSaved
            ? TypedResults.Ok((await FindAsync<TRequest, TDto>(items, key, cancellationToken))!.Dto)
            : SettingResults.Invalid(saved.Problems);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync<TItems, TRequest, TDto>(string key, TItems items, CancellationToken cancellationToken)
        where TItems : ISettingItems<TRequest, TDto>
    {
        if (await FindAsync<TRequest, TDto>(items, key, cancellationToken) is not { } existing)
        {
            return SettingResults.NotFound(items.What, key);
        }

        if (existing.Origin == SettingOrigin.Configuration)
        {
            return SettingResults.FromConfiguration(items.What, existing.Key, items.Section);
        }

        return await items.RemoveAsync(existing.Key, cancellationToken) is { } refused ? refused : TypedResults.NoContent();
    }

    private static TItems Items<TItems>(HttpContext context)
        where TItems : notnull => context.RequestServices.GetRequiredService<TItems>();

    private static async Task<SettingItem<TDto>?> FindAsync<TRequest, TDto>(ISettingItems<TRequest, TDto> items, string key, CancellationToken cancellationToken) =>
        (await items.ListAsync(cancellationToken)).FirstOrDefault(i => Same(i.Key, items.Canonical(key.Trim())));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
