using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Deliverability.Core.Secrets;

/// <summary>
/// A secret in configuration either as plain text or encrypted with ASP.NET Core Data Protection and written
/// <c>protected:&lt;payload&gt;</c>. One purpose string and one application name for the service and the CLI, so that
/// either reads what <c>monitor secret protect</c> wrote with the same keys.
/// </summary>
public static class ProtectedSecret
{
    public const string Prefix = "protected:";
    public const string ApplicationName = "monitor";
    public const string Purpose = "Monitor.Configuration.Secrets.v1";

    public static bool IsProtected(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static string Protect(IDataProtectionProvider provider, string secret) => Prefix + provider.CreateProtector(Purpose).Protect(secret);

    /// <summary>The plain secret; a value without the prefix is returned as it is.</summary>
    /// <exception cref="CryptographicException">Not made with these keys, or damaged. The message never contains the secret.</exception>
    public static string Reveal(IDataProtectionProvider provider, string value) =>
        IsProtected(value) ? provider.CreateProtector(Purpose).Unprotect(value[Prefix.Length..]) : value;

    /// <summary>
    /// Decrypts every protected value of <paramref name="secrets"/> in place. A value it cannot decrypt stays as it is, so
    /// that validation reports it by its key (<see cref="IsProtected"/> is still true).
    /// </summary>
    public static void RevealAll(IDataProtectionProvider provider, IEnumerable<(string Key, Func<string> Get, Action<string> Set)> secrets)
    {
        foreach (var (_, get, set) in secrets)
        {
            var value = get();
            if (!IsProtected(value))
            {
                continue;
            }

            try
            {
                set(Reveal(provider, value));
            }
            catch (CryptographicException)
            {
                // Left protected: the caller's validation names the key.
            }
        }
    }
}
