using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.SendEvents.Privacy;

/// <summary>
/// What is kept of a recipient: the domain in clear (A-label, lower case) and a keyed hash of the lower-cased address
/// (HMAC-SHA256, hex), so events of one person can be found and erased without the address being stored; the address
/// itself only when configured to keep it.
/// </summary>
public sealed class RecipientIdentity(string? hashKey, bool keepAddresses)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(hashKey ?? "");
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public static RecipientIdentity From(SendEventsOptions options) => new(options.RecipientHashKey, options.KeepRecipientAddresses);

    /// <summary>The stored form of <paramref name="address"/> (hash or address), or null for no address.</summary>
    public string? Stored(string? address)
    {
        var normal = Normalise(address);
        if (normal is null)
        {
            return null;
        }

        return keepAddresses ? normal : Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>Every stored form an address may have taken (hash and clear), for erasure whatever the setting was.</summary>
    public IReadOnlyList<string> StoredForms(string address)
    {
        var normal = Normalise(address);
        return normal is null ? [] : [Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normal))), normal];
    }

    /// <summary>The domain of an address (or a bare domain), as an A-label in lower case; null when there is none.</summary>
    public static string? Domain(string? addressOrDomain)
    {
        if (string.IsNullOrWhiteSpace(addressOrDomain))
        {
            return null;
        }

        var text = addressOrDomain.Trim();
        var lt = text.LastIndexOf('<');
        if (lt >= 0 && text.IndexOf('>', lt) is var gt and > 0)
        {
            text = text[(lt + 1)..gt];
        }

        var at = text.LastIndexOf('@');
        var domain = (at >= 0 ? text[(at + 1)..] : text).Trim().TrimEnd('.', '>');
        if (domain.Length is 0 or > 253)
        {
            return null;
        }

        try
        {
            var ascii = Idn.GetAscii(domain).ToLowerInvariant();
            return ascii.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The address lower-cased with its domain as an A-label; null when it is not an address.</summary>
    public static string? Normalise(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 320)
        {
            return null;
        }

        var text = address.Trim().Trim('<', '>');
        var at = text.LastIndexOf('@');
        if (at <= 0 || Domain(text) is not { } domain)
        {
            return null;
        }

        return text[..at].ToLowerInvariant() + "@" + domain;
    }
}
