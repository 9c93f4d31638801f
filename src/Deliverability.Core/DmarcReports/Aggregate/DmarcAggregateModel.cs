namespace Deliverability.Core.DmarcReports.Aggregate;

/// <summary>What an aggregate report says before its records: who reported, for which interval, about which policy.</summary>
public sealed record DmarcReportHeader(
    string OrgName,
    string ReportId,
    string PolicyDomain,
    DateTimeOffset Begin,
    DateTimeOffset End,
    string? ReporterEmail,
    string Schema,
    PublishedPolicy Policy,
    string? Generator,
    IReadOnlyList<string> Errors);

/// <summary>The DMARC policy the receiver found (RFC 7489 <c>pct</c>; RFC 9990 <c>np</c>, <c>testing</c>, <c>discovery_method</c>).</summary>
public sealed record PublishedPolicy(string? P, string? Sp, string? Np, string? Adkim, string? Aspf, int? Pct, string? Testing, string? DiscoveryMethod, string? Fo);

/// <summary>One record: messages from one source IP with the same identifiers and results.</summary>
public sealed record DmarcRecord(
    string SourceIp,
    long Count,
    string? Disposition,
    string? DkimEvaluated,
    string? SpfEvaluated,
    IReadOnlyList<PolicyOverrideReason> Reasons,
    string? HeaderFrom,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    IReadOnlyList<DkimAuthResult> Dkim,
    IReadOnlyList<SpfAuthResult> Spf)
{
    public bool DkimAligned => DkimEvaluated == "pass";

    public bool SpfAligned => SpfEvaluated == "pass";

    /// <summary>DMARC passes when either identifier passed aligned.</summary>
    public bool DmarcPass => DkimAligned || SpfAligned;
}

/// <summary>Why the receiver applied another disposition than the policy's: forwarded, sampled_out (RFC 7489), local_policy, mailing_list, policy_test_mode, trusted_forwarder, other.</summary>
public sealed record PolicyOverrideReason(string Type, string? Comment);

public sealed record DkimAuthResult(string? Domain, string? Selector, string? Result, string? HumanResult);

public sealed record SpfAuthResult(string? Domain, string? Scope, string? Result, string? HumanResult);
