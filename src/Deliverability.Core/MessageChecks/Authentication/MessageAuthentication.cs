using Deliverability.Core.Audits;

namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>The ARC chain of a message that carries one (RFC 8617).</summary>
/// <param name="Chain">pass, fail or none, as MimeKit's <c>ArcVerifier</c> found it.</param>
/// <param name="Instances">ARC sets (i=) on the message.</param>
/// <param name="Errors">Why the chain failed, when it did.</param>
public sealed record ArcChainResult(string Chain, int Instances, IReadOnlyList<string> Errors);

/// <summary>SPF of the return-path for the IP the message came from, when that IP is known.</summary>
/// <param name="Result">An RFC 7208 result, or <c>not_evaluated</c> when no sending IP was known.</param>
public sealed record MessageSpfResult(string Result, string? Domain, string? Ip, string Reason);

/// <summary>DMARC of the From domain: the policy found and which passing identities align with From.</summary>
/// <param name="Result">pass, fail, none (no policy) or temperror.</param>
public sealed record DmarcAlignmentResult(
    string FromDomain, string Result, string? PolicyDomain, string? Policy, bool DkimAligned, bool SpfAligned, string Reason);

/// <summary>Everything the authentication of one message found.</summary>
public sealed record MessageAuthentication(
    IReadOnlyList<DkimSignatureResult> Dkim,
    ArcChainResult? Arc,
    MessageSpfResult Spf,
    DmarcAlignmentResult Dmarc,
    IReadOnlyList<Finding> Findings);
