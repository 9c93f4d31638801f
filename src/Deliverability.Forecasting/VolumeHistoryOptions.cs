namespace Deliverability.Forecasting;

/// <summary>Size bounds of an imported history and the repairs the import may make instead of failing.</summary>
public sealed record VolumeHistoryOptions
{
    public static VolumeHistoryOptions Default { get; } = new();

    /// <summary>At most this many points (about eleven years of hours).</summary>
    public int MaxPoints { get; init; } = 100_000;

    /// <summary>Longer CSV lines are refused.</summary>
    public int MaxLineLength { get; init; } = 200;

    /// <summary>Missing periods are filled with zero (and reported in Repairs) instead of refused.</summary>
    public bool FillGapsWithZero { get; init; } = true;

    /// <summary>A gap of more than this many periods is refused even when gaps are filled.</summary>
    public int MaxGapPeriods { get; init; } = 24 * 31;
}
