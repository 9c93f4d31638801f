namespace Deliverability.Core.DmarcReports.TlsRpt;

/// <summary>An SMTP TLS report (RFC 8460): one sending organisation's sessions to a domain's MX hosts over an interval.</summary>
public sealed record TlsRptReport(string OrgName, string ReportId, string? ContactInfo, DateTimeOffset Begin, DateTimeOffset End, IReadOnlyList<TlsRptPolicy> Policies);

/// <summary>One policy the sender applied (<c>sts</c>, <c>tlsa</c> or <c>no-policy-found</c>), with its session counts and failures.</summary>
public sealed record TlsRptPolicy(string PolicyType, IReadOnlyList<string> PolicyString, string PolicyDomain, IReadOnlyList<string> MxHosts,
    long SuccessfulSessions, long FailedSessions, IReadOnlyList<TlsRptFailure> Failures);

public sealed record TlsRptFailure(string ResultType, string? SendingMtaIp, string? ReceivingMxHostname, string? ReceivingMxHelo, string? ReceivingIp,
    long FailedSessions, string? AdditionalInformation, string? FailureReasonCode);
