namespace Deliverability.Load;

/// <summary>
/// Load tests send only to sink domains: the reserved TLDs <c>.invalid</c>, <c>.test</c>, <c>.example</c>,
/// <c>.localhost</c>, the domains <c>example.com</c>, <c>example.net</c>, <c>example.org</c> (all with their
/// subdomains), or domains and addresses named in an explicit allow-list (matched exactly, case-insensitively).
/// </summary>
public sealed class SinkRecipientPolicy
{
    /// <summary>A policy with the sink domains and, optionally, an allow-list of domains and of full addresses.</summary>
    public SinkRecipientPolicy(IEnumerable<string>? allowedDomains = null, IEnumerable<string>? allowedRecipients = null) =>
        throw new NotImplementedException();

    /// <summary>The policy with the sink domains only.</summary>
    public static SinkRecipientPolicy SinkDomainsOnly { get; } = new();

    /// <summary>Whether mail may go to <paramref name="recipient"/> (an address, angle brackets allowed).</summary>
    public PolicyDecision CheckRecipient(string recipient) => throw new NotImplementedException();

    /// <summary>Whether mail may go to any address at <paramref name="domain"/>.</summary>
    public PolicyDecision CheckDomain(string domain) => throw new NotImplementedException();
}

/// <summary>
/// Load goes only to loopback targets (127.0.0.0/8, ::1, <c>localhost</c>) unless an allow-list names the host
/// (exactly, case-insensitively). Host names are not resolved: a name is allowed by name, never by its address.
/// </summary>
public sealed class LoadTargetGuard
{
    /// <summary>A guard allowing loopback and the hosts of <paramref name="allowedHosts"/>.</summary>
    public LoadTargetGuard(IEnumerable<string>? allowedHosts = null) => throw new NotImplementedException();

    /// <summary>The guard allowing loopback only.</summary>
    public static LoadTargetGuard LoopbackOnly { get; } = new();

    /// <summary>Whether load may go to <paramref name="host"/> (a name, an IP literal, "[::1]").</summary>
    public PolicyDecision CheckHost(string host) => throw new NotImplementedException();

    /// <summary>Whether load may go to the host of <paramref name="target"/>.</summary>
    public PolicyDecision CheckUri(Uri target) => throw new NotImplementedException();
}
