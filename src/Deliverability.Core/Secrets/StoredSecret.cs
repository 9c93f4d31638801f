using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Deliverability.Core.Secrets;

/// <summary>
/// A secret typed in the dashboard, kept in the database encrypted with Data Protection (the <c>protected:</c> form of
/// <see cref="ProtectedSecret"/>): the database alone does not reveal it.
/// </summary>
public static class StoredSecret
{
    /// <summary>The value to store; null or empty stays empty (no secret).</summary>
    public static string Seal(IDataProtectionProvider provider, string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : ProtectedSecret.Protect(provider, secret);

    /// <summary>The plain secret, or null when the stored value cannot be decrypted with the keys in use (keys lost or changed).</summary>
    public static string? Open(IDataProtectionProvider provider, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return "";
        }

        try
        {
            return ProtectedSecret.Reveal(provider, stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
