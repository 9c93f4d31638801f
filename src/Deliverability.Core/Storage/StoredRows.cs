using Deliverability.Core.Audits;

namespace Deliverability.Core.Storage;

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

    // The bad streak and the drift, recorded as each result is saved (StreakAndDrift), so that every run counts even
    // when several are saved between two alert evaluations. A run with Unknown status (a DNS timeout) changes none of
    // them. Null on a row an earlier release wrote, until its next result (StreakAndDrift.Streak reads such a row).

    /// <summary>Consecutive conclusive runs with a warning or error status (0 after a good run).</summary>
    public int? BadRuns { get; set; }

    /// <summary>When the first run of the bad streak ran; null without a streak.</summary>
    public DateTimeOffset? BadSince { get; set; }

    /// <summary>The status of the streak's last run (warning or error); null without a streak.</summary>
    public CheckStatus? BadStatus { get; set; }

    /// <summary>The findings of the streak's last run (kept while a later run is inconclusive); null without a streak.</summary>
    public string? BadFindingsJson { get; set; }

    /// <summary>The records of the last conclusive run, sorted (JSON array): what the next run is compared with.</summary>
    public string? RecordsBaselineJson { get; set; }

    /// <summary>When a conclusive run last read other records than the run before it; null when never.</summary>
    public DateTimeOffset? DriftAt { get; set; }

    /// <summary>The sorted records before that change (JSON array).</summary>
    public string? DriftPreviousJson { get; set; }
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
