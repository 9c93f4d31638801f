using System.Net;

namespace Deliverability.Core.Audits;

/// <summary>What to audit for one sending domain.</summary>
/// <param name="Domain">The From: domain (the one DMARC protects).</param>
/// <param name="DkimSelectors">Selectors to check at <c>selector._domainkey.domain</c>.</param>
/// <param name="SendingIps">IPs the domain sends from: each must pass SPF and have forward-confirmed reverse DNS.</param>
/// <param name="ReturnPathDomain">The MAIL FROM domain SPF authenticates (defaults to <paramref name="Domain"/>).</param>
/// <param name="DkimSigningDomain">The <c>d=</c> domain of the signatures (defaults to <paramref name="Domain"/>).</param>
public sealed record DomainAuditRequest(
    string Domain,
    IReadOnlyList<string> DkimSelectors,
    IReadOnlyList<IPAddress> SendingIps,
    string? ReturnPathDomain = null,
    string? DkimSigningDomain = null)
{
    public string EffectiveReturnPathDomain => ReturnPathDomain ?? Domain;

    public string EffectiveDkimSigningDomain => DkimSigningDomain ?? Domain;

    public static DomainAuditRequest For(string domain) => new(domain, [], []);
}
