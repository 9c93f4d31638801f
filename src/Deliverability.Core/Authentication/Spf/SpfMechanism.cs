using System.Net;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>The qualifier in front of a mechanism; its result when the mechanism matches (RFC 7208 section 4.6.2).</summary>
public enum SpfQualifier
{
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

/// <summary>The eight mechanisms of RFC 7208 section 5.</summary>
public enum SpfMechanismKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>One directive of a record: qualifier, mechanism and its arguments.</summary>
/// <param name="Text">The term as written, for traces and findings.</param>
/// <param name="DomainSpec">The target of include, a, mx, ptr, exists (null = the current domain).</param>
/// <param name="Network">The address of ip4/ip6.</param>
/// <param name="Ip4Prefix">The IPv4 prefix length (ip4, a, mx); 32 when not given.</param>
/// <param name="Ip6Prefix">The IPv6 prefix length (ip6, a, mx); 128 when not given.</param>
public sealed record SpfMechanism(
    SpfQualifier Qualifier,
    SpfMechanismKind Kind,
    string Text,
    SpfMacroString? DomainSpec = null,
    IPAddress? Network = null,
    int Ip4Prefix = 32,
    int Ip6Prefix = 128)
{
    /// <summary>Mechanisms that cost one of the ten DNS lookups of section 4.6.4.</summary>
    public bool CountsAsLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;

    public SpfResult Result => Qualifier switch
    {
        SpfQualifier.Pass => SpfResult.Pass,
        SpfQualifier.Fail => SpfResult.Fail,
        SpfQualifier.SoftFail => SpfResult.SoftFail,
        _ => SpfResult.Neutral,
    };

    public override string ToString() => Text;
}

/// <summary>A modifier the RFC does not define (ignored by evaluation, kept for audits).</summary>
public sealed record SpfModifier(string Name, SpfMacroString Value);
