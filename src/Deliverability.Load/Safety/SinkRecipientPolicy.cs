using System.Net;
using System.Net.Sockets;

namespace Deliverability.Load;

/// <summary>
/// Load tests send only to sink domains: the reserved TLDs <c>.invalid</c>, <c>.test</c>, <c>.example</c>,
/// <c>.localhost</c>, the domains <c>example.com</c>, <c>example.net</c>, <c>example.org</c> (all with their
/// subdomains), or domains and addresses named in an explicit allow-list (matched exactly, case-insensitively).
/// </summary>
public sealed class SinkRecipientPolicy
{
    private const int MaxAddressLength = 254;
    private static readonly string[] SinkTopLevelDomains = ["invalid", "test", "example", "localhost"];
    private static readonly string[] SinkDomains = ["example.com", "example.net", "example.org"];

    private readonly HashSet<string> _allowedDomains;
    private readonly HashSet<string> _allowedRecipients;

    /// <summary>A policy with the sink domains and, optionally, an allow-list of domains and of full addresses.</summary>
    public SinkRecipientPolicy(IEnumerable<string>? allowedDomains = null, IEnumerable<string>? allowedRecipients = null)
    {
        _allowedDomains = new HashSet<string>(
            (allowedDomains ?? []).Select(NormaliseDomain).Where(domain => domain.Length > 0), StringComparer.Ordinal);
        _allowedRecipients = new HashSet<string>(
            (allowedRecipients ?? []).Select(address => Unwrap(address).ToLowerInvariant()).Where(address => address.Length > 0),
            StringComparer.Ordinal);
    }

    /// <summary>The policy with the sink domains only.</summary>
    public static SinkRecipientPolicy SinkDomainsOnly { get; } = new();

    /// <summary>Whether mail may go to <paramref name="recipient"/> (an address, angle brackets allowed).</summary>
    public PolicyDecision CheckRecipient(string recipient)
    {
        if (string.IsNullOrWhiteSpace(recipient))
        {
            return PolicyDecision.Refuse("the recipient is empty");
        }

        var address = Unwrap(recipient);
        if (address.Length > MaxAddressLength)
        {
            return PolicyDecision.Refuse($"the recipient is longer than {MaxAddressLength} characters");
        }

        if (address.Any(character => char.IsControl(character) || char.IsWhiteSpace(character)))
        {
            return PolicyDecision.Refuse("the recipient contains spaces or control characters");
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return PolicyDecision.Refuse($"'{address}' is not an address (local@domain)");
        }

        if (_allowedRecipients.Contains(address.ToLowerInvariant()))
        {
            return PolicyDecision.Allow;
        }

        var domainDecision = CheckDomain(address[(at + 1)..]);
        return domainDecision.Allowed
            ? domainDecision
            : PolicyDecision.Refuse($"recipient '{address}' refused: {domainDecision.Reason}");
    }

    /// <summary>Whether mail may go to any address at <paramref name="domain"/>.</summary>
    public PolicyDecision CheckDomain(string domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return PolicyDecision.Refuse("the domain is empty");
        }

        if (domain.Length > 253 || domain.Any(character => character > 127 || char.IsControl(character)))
        {
            return PolicyDecision.Refuse("the domain must be ASCII (A-labels for international names) and at most 253 characters");
        }

        var normalised = NormaliseDomain(domain);
        if (normalised.StartsWith('[') || IPAddress.TryParse(normalised, out _))
        {
            return PolicyDecision.Refuse("address literals are not sink domains");
        }

        if (normalised.Length == 0 || normalised.Split('.').Any(label => label.Length == 0))
        {
            return PolicyDecision.Refuse($"'{domain.Trim()}' is not a domain name");
        }

        if (_allowedDomains.Contains(normalised))
        {
            return PolicyDecision.Allow;
        }

        var topLevel = normalised[(normalised.LastIndexOf('.') + 1)..];
        if (SinkTopLevelDomains.Contains(topLevel, StringComparer.Ordinal)
            || SinkDomains.Any(sink => normalised == sink || normalised.EndsWith("." + sink, StringComparison.Ordinal)))
        {
            return PolicyDecision.Allow;
        }

        return PolicyDecision.Refuse(
            $"'{normalised}' is not a sink domain (.invalid, .test, .example, .localhost, example.com/net/org) nor in the allow-list");
    }

    private static string Unwrap(string address)
    {
        var trimmed = address.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '<' && trimmed[^1] == '>' ? trimmed[1..^1].Trim() : trimmed;
    }

    private static string NormaliseDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();
}

/// <summary>
/// Load goes only to loopback targets (127.0.0.0/8, ::1, <c>localhost</c>) unless an allow-list names the host
/// (exactly, case-insensitively). Host names are not resolved: a name is allowed by name, never by its address.
/// </summary>
public sealed class LoadTargetGuard
{
    private readonly HashSet<string> _allowedHosts;

    /// <summary>A guard allowing loopback and the hosts of <paramref name="allowedHosts"/>.</summary>
    public LoadTargetGuard(IEnumerable<string>? allowedHosts = null) =>
        _allowedHosts = new HashSet<string>(
            (allowedHosts ?? []).Select(Normalise).Where(host => host.Length > 0), StringComparer.Ordinal);

    /// <summary>The guard allowing loopback only.</summary>
    public static LoadTargetGuard LoopbackOnly { get; } = new();

    /// <summary>Whether load may go to <paramref name="host"/> (a name, an IP literal, "[::1]").</summary>
    public PolicyDecision CheckHost(string host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return PolicyDecision.Refuse("the target host is empty");
        }

        if (host.Length > 253 || host.Any(char.IsControl))
        {
            return PolicyDecision.Refuse("the target host is not a host name or address");
        }

        var normalised = Normalise(host);
        if (_allowedHosts.Contains(normalised))
        {
            return PolicyDecision.Allow;
        }

        if (normalised == "localhost")
        {
            return PolicyDecision.Allow;
        }

        if (IPAddress.TryParse(normalised, out var address))
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            var loopback = address.AddressFamily == AddressFamily.InterNetwork
                ? address.GetAddressBytes()[0] == 127
                : address.Equals(IPAddress.IPv6Loopback);
            return loopback
                ? PolicyDecision.Allow
                : PolicyDecision.Refuse($"target {normalised} is not a loopback address and not in the allow-list");
        }

        return PolicyDecision.Refuse(
            $"target '{normalised}' is not loopback (127.0.0.0/8, ::1, localhost) and not in the allow-list");
    }

    /// <summary>Whether load may go to the host of <paramref name="target"/>.</summary>
    public PolicyDecision CheckUri(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.IsAbsoluteUri
            ? CheckHost(target.Host)
            : PolicyDecision.Refuse("the target URI is not absolute");
    }

    private static string Normalise(string host)
    {
        var trimmed = host.Trim().TrimEnd('.').ToLowerInvariant();
        return trimmed.Length >= 2 && trimmed[0] == '[' && trimmed[^1] == ']' ? trimmed[1..^1] : trimmed;
    }
}
