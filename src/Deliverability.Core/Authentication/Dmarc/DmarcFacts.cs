namespace Deliverability.Core.Authentication.Dmarc;

/// <summary>What the DMARC check learned, for the bulk-sender verdict.</summary>
/// <param name="RecordFound">A valid DMARC record applies to the domain (its own or the organizational domain's).</param>
/// <param name="Policy">The policy that applies to the domain (<c>none</c>, <c>quarantine</c>, <c>reject</c>), null without a record.</param>
/// <param name="SpfAligned">The configured return-path domain aligns with the From domain under the record's <c>aspf</c>.</param>
/// <param name="DkimAligned">The configured DKIM signing domain aligns with the From domain under the record's <c>adkim</c>.</param>
public sealed record DmarcFacts(bool RecordFound, string? Policy, bool SpfAligned, bool DkimAligned);
