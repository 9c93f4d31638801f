using Deliverability.Core.Audits;

namespace Deliverability.Core.Monitoring;

/// <summary>Published on <c>LiveFeed&lt;DomainAuditCompleted&gt;</c> after a domain's audit is stored, so live views refresh.</summary>
/// <param name="Changes">How many checks changed status with this audit.</param>
public sealed record DomainAuditCompleted(string Domain, CheckStatus Status, DateTimeOffset CheckedAt, int Changes);
