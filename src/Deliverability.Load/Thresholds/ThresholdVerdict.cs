namespace Deliverability.Load;

/// <summary>Whether a threshold held, and what was observed.</summary>
public sealed record ThresholdVerdict
{
    /// <summary>The threshold's expression.</summary>
    public required string Expression { get; init; }

    /// <summary>The scenario it belongs to.</summary>
    public required string Scenario { get; init; }

    /// <summary>The step it is scoped to, or null.</summary>
    public string? Step { get; init; }

    /// <summary>True when held, false when breached.</summary>
    public required bool Held { get; init; }

    /// <summary>The observed value in the metric's unit (ms, fraction, per second, count).</summary>
    public required double Observed { get; init; }

    /// <summary>The limit, in the same unit.</summary>
    public required double Limit { get; init; }

    /// <summary>The unit: "ms", "ratio", "per_s" or "count".</summary>
    public required string Unit { get; init; }

    /// <summary>Whether this threshold aborts the run when breached.</summary>
    public bool AbortOnFail { get; init; }

    /// <summary>Whether this threshold's breach stopped the run.</summary>
    public bool AbortedRun { get; init; }

    /// <summary>Why the observation is what it is, when that needs saying ("step 'x' never ran").</summary>
    public string? Note { get; init; }

    /// <summary>"held" or "breached".</summary>
    public string Status => Held ? "held" : "breached";
}
