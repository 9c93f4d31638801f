using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Auth;

/// <summary>A key as listed: never the key itself.</summary>
public sealed record ApiKeyInfo(long Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>A key just created: <see cref="Key"/> is shown once and cannot be read again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>Creates, lists, revokes and checks API keys. Keys are stored as hashes only.</summary>
public sealed class ApiKeyStore(IDbContextFactory<SignInDbContext> contexts, TimeProvider time)
{
    public const string KeyPrefix = "mk_";

    public async Task<CreatedApiKey> CreateAsync(string name, string role, string createdBy, CancellationToken cancellationToken)
    {
        var canonicalRole = MonitorRoles.Parse(role) ?? throw new ArgumentException($"'{role}' is not a role ({string.Join(", ", MonitorRoles.All)}).", nameof(role));
        if (ApiKeyName.Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var row = await InsertAsync(name.Trim(), canonicalRole, key, createdBy, cancellationToken);
        return new CreatedApiKey(Info(row), key);
    }

    /// <summary>Stores a key given in configuration, unless a key with the same value is stored already.</summary>
    public async Task ProvisionAsync(ProvisionedApiKey provisioned, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = Hash(provisioned.Key);
        if (!await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellationToken))
        {
            await InsertAsync(provisioned.Name.Trim(), MonitorRoles.Parse(provisioned.Role)!, provisioned.Key, "configuration", cancellationToken);
        }
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
        return rows.Select(Info).ToArray();
    }

    /// <summary>Revokes a key; false when there is no such key. A revoked key stays listed, marked, and never works again.</summary>
    public async Task<bool> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.FindAsync([id], cancellationToken);
        if (row is null)
        {
            return false;
        }

        row.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The key's name and role when <paramref name="key"/> is a stored key not revoked, else null.</summary>
    public async Task<ApiKeyInfo?> FindActiveAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        return row is null || row.RevokedAt is not null ? null : Info(row);
    }

    private async Task<ApiKeyRow> InsertAsync(string name, string role, string key, string createdBy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new ApiKeyRow
        {
            Name = name,
            Role = role,
            Hash = Hash(key),
            Prefix = key[..Math.Min(key.Length, 10)],
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static ApiKeyInfo Info(ApiKeyRow row) => new(row.Id, row.Name, row.Role, row.Prefix, row.CreatedAt, row.CreatedBy, row.RevokedAt);
}
