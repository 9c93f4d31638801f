using Deliverability.Load;

namespace Deliverability.LoadScenarios;

/// <summary>
/// What a load test came to. <see cref="Report"/> is the run's report; for a capacity search, the run at the knee
/// (or the last step run when no rate held). <see cref="Capacity"/> is the search's result.
/// </summary>
public sealed record LoadTestOutcome(LoadTestDefinition Definition, RunReport Report, CapacitySearchResult? Capacity)
{
    /// <summary>A plain run: every threshold held. A capacity search: a knee was found (some rate held).</summary>
    public bool ThresholdsHeld => Capacity is null ? Report.ThresholdsHeld : Capacity.KneeRate is not null;
}
