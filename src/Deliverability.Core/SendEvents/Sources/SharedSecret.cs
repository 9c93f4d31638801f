using System.Security.Cryptography;
using System.Text;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>Credential checks in constant time, so a timing attacker learns nothing of the secret.</summary>
public static class SharedSecret
{
    public static bool Matches(string? given, string? expected) =>
        given is not null && expected is not null &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>Whether an <c>Authorization: Basic</c> header carries <paramref name="user"/> and <paramref name="password"/>.</summary>
    public static bool BasicAuthMatches(string? authorization, string? user, string? password)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || authorization.Length > 2048)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        // Both compared, whatever the first gives, so the time says nothing about which was wrong.
        var userOk = colon >= 0 && Matches(decoded[..colon], user);
        var passwordOk = colon >= 0 && Matches(decoded[(colon + 1)..], password);
        return userOk & passwordOk;
    }
}
