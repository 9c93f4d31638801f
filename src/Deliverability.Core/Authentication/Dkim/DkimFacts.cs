namespace Deliverability.Core.Authentication.Dkim;

/// <summary>What the DKIM check learned, for the bulk-sender verdict: which configured selectors publish a usable key.</summary>
public sealed record DkimFacts(string SigningDomain, IReadOnlyList<DkimSelectorFact> Selectors)
{
    public bool AnyUsableKey => Selectors.Any(s => s.UsableKey);
}

/// <param name="UsableKey">The key record exists, parses, decodes, is not revoked and is strong enough (RSA 1024 bits or more, or ed25519).</param>
public sealed record DkimSelectorFact(string Selector, bool UsableKey);
