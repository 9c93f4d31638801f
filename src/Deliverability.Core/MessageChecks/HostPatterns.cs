using Deliverability.Core.Dns;

namespace Deliverability.Core.MessageChecks;

/// <summary>
/// The allowed-host lists of the message checks (<c>cdn.example.com</c>, <c>*.example.com</c>, an IP address): which
/// hosts a render may load from and which links may be followed.
/// </summary>
public static class HostPatterns
{
    /// <summary>Whether <paramref name="host"/> (an IDN host in ASCII) is one of <paramref name="patterns"/>; <c>*.x</c> matches the subdomains of x.</summary>
    public static bool Matches(IEnumerable<string> patterns, string host)
    {
        host = host.ToLowerInvariant();
        return patterns.Any(a => a.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(a[1..].ToLowerInvariant(), StringComparison.Ordinal)
            : string.Equals(host, a, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every entry of <paramref name="patterns"/> that is not a host name, a <c>*.</c> pattern or an IP address, naming its key.</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> patterns, string key)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (!DomainName.IsValid(patterns[i].TrimStart('*', '.')) && !System.Net.IPAddress.TryParse(patterns[i], out _))
            {
                yield return $"{key}:{i}: '{patterns[i]}' is not a host name (example.com, *.example.com or an IP address)";
            }
        }
    }
}
