using Deliverability.Core.Audits;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Domains;

/// <summary>One configured domain in the list. Status and counts are null until its first audit is stored.</summary>
public sealed record DomainSummaryDto(string Domain, string? Status, DateTimeOffset? CheckedAt, int? Errors, int? Warnings);

public sealed record FindingDto(string Code, string Severity, string Message, string Fix, string? Subject)
{
    public static FindingDto From(Finding finding) =>
        new(finding.Code, finding.Severity.ToString().ToLowerInvariant(), finding.Message, finding.Fix, finding.Subject);
}

public sealed record CheckDto(string Check, string Status, DateTimeOffset CheckedAt, DateTimeOffset Since, IReadOnlyList<FindingDto> Findings, IReadOnlyList<string> Records);

/// <summary>The latest audit of a domain.</summary>
public sealed record DomainAuditDto(string Domain, string Status, DateTimeOffset CheckedAt, IReadOnlyList<CheckDto> Checks)
{
    public static DomainAuditDto From(StoredAudit stored) => new(
        stored.Audit.Domain,
        Name(stored.Audit.Status),
        stored.Audit.CheckedAt,
        stored.Checks.Select(c => new CheckDto(c.Check, Name(c.Status), c.CheckedAt, c.Since, StoredJson.Findings(c).Select(FindingDto.From).ToArray(), StoredJson.Records(c))).ToArray());

    public static string Name(CheckStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>One change of a check's status; <see cref="From"/> is null for the check's first result.</summary>
public sealed record TransitionDto(string Check, string? From, string To, DateTimeOffset At, string Summary)
{
    public static TransitionDto Of(CheckTransitionRow row) =>
        new(row.Check, row.FromStatus is { } from ? DomainAuditDto.Name(from) : null, DomainAuditDto.Name(row.ToStatus), row.At, row.Summary);
}
