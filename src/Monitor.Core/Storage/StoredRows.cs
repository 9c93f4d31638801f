using Monitor.Core.Audits;

namespace Monitor.Core.Storage;

/// <summary>The current state of one check of one domain: replaced in place by each audit.</summary>
public sealed class CheckStateRow
{
    public long Id { get; set; }

    public required string Domain { get; set; }

    public required string Check { get; set; }

    public CheckStatus Status { get; set; }

    /// <summary>The findings as JSON (<see cref="StoredJson"/>).</summary>
    public required string FindingsJson { get; set; }

    /// <summary>The DNS records the check read, as a JSON array of strings.</summary>
    public required string RecordsJson { get; set; }

    public int ErrorCount { get; set; }

    public int WarningCount { get; set; }

    /// <summary>When the check last ran.</summary>
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>Since when the check has had <see cref="Status"/>.</summary>
    public DateTimeOffset Since { get; set; }
}

/// <summary>One change of a check's status. The first result of a check is a change from no status (null).</summary>
public sealed class CheckTransitionRow
{
    public long Id { get; set; }

    public required string Domain { get; set; }

    public required string Check { get; set; }

    public CheckStatus? FromStatus { get; set; }

    public CheckStatus ToStatus { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The codes of the findings that explain the new status (short text, for lists and notifications).</summary>
    public required string Summary { get; set; }
}

/// <summary>The last audit of one domain.</summary>
public sealed class DomainAuditRow
{
    public required string Domain { get; set; }

    public CheckStatus Status { get; set; }

    public DateTimeOffset CheckedAt { get; set; }
}
