using System.Collections.Concurrent;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>
/// Finds DKIM public keys (<c>selector._domainkey.domain</c> TXT) through our DNS layer, so that a test or a private
/// resolver answers. A DNS failure is a <see cref="DkimKeyTemporaryException"/> (temperror), a missing, revoked or
/// broken key a <see cref="DkimKeyPermanentException"/> (permerror). The key length of each key read is remembered.
/// </summary>
public sealed class DnsDkimKeyLocator(IDnsResolver dns) : DkimPublicKeyLocatorBase
{
    private readonly ConcurrentDictionary<string, int?> _keyBits = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The length in bits of the key found at <paramref name="selector"/>._domainkey.<paramref name="domain"/>, when read.</summary>
    public int? KeyBitsOf(string domain, string selector) => _keyBits.TryGetValue(KeyName(domain, selector), out var bits) ? bits : null;

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var name = KeyName(domain, selector);
        if (!DomainName.IsValid(domain) || selector.Length == 0 || !DnsNames.IsQueryable(name, out _))
        {
            throw new DkimKeyPermanentException($"'{name}' is not a name a key can be looked up at");
        }

        var response = await dns.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            throw new DkimKeyTemporaryException($"the key could not be read: {response.Describe()}");
        }

        var records = response.TxtStrings.Where(t => !t.TrimStart().StartsWith("v=", StringComparison.Ordinal) || t.TrimStart().StartsWith("v=DKIM1", StringComparison.Ordinal)).ToList();
        if (records.Count == 0)
        {
            throw new DkimKeyPermanentException($"no key is published at {name}");
        }

        var record = DkimKeyRecord.Parse(records[0]);
        _keyBits[name] = record.KeyBits;
        if (record.IsRevoked)
        {
            throw new DkimKeyPermanentException($"the key at {name} is revoked (empty p=)");
        }

        if (!record.IsValid)
        {
            throw new DkimKeyPermanentException($"the key record at {name} is broken: {string.Join("; ", record.Problems.Where(p => p.Severity == Core.Audits.Severity.Error).Select(p => p.Message))}");
        }

        try
        {
            return GetPublicKey(records[0]);
        }
        catch (Exception ex) when (ex is FormatException or MimeKit.ParseException or ArgumentException or InvalidOperationException)
        {
            throw new DkimKeyPermanentException($"the key at {name} cannot be read: {ex.Message}");
        }
    }

    private static string KeyName(string domain, string selector) => $"{selector}._domainkey.{domain}".ToLowerInvariant();
}

/// <summary>The key could not be read because DNS failed for now: the verdict is temperror.</summary>
public sealed class DkimKeyTemporaryException(string message) : Exception(message);

/// <summary>The key is missing, revoked or unreadable: the verdict is permerror.</summary>
public sealed class DkimKeyPermanentException(string message) : Exception(message);
