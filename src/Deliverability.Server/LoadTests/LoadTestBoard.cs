using Deliverability.Core.LoadTests;
using Deliverability.Load;

namespace Deliverability.Server.LoadTests;

/// <summary>Reads stored runs for the Load tests pages, the Overview's Capacity section and <c>/api/loadtests</c> alike.</summary>
public sealed class LoadTestBoard(LoadTestRunStore store)
{
    /// <summary>How many runs the page lists.</summary>
    public const int RecentRuns = 100;

    public async Task<IReadOnlyList<LoadTestRunSummaryDto>> ListAsync(LoadTestRunQuery query, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(query, cancellationToken)).Select(LoadTestRunSummaryDto.From)];

    public Task<LoadTestRunRow?> GetAsync(Guid id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    /// <summary>
    /// Per send path (or scenario, when its scenario names no send path), the latest completed capacity run's knee, or,
    /// without one, the latest completed run's achieved rate; ordered by send path.
    /// </summary>
    public async Task<IReadOnlyList<CapacityReadingDto>> CapacityAsync(CancellationToken cancellationToken)
    {
        var completed = await store.LatestCompletedAsync(cancellationToken);
        return [.. completed
            .GroupBy(r => r.SendPath ?? r.Scenario, StringComparer.Ordinal)
            .Select(runs => runs.FirstOrDefault(r => r.KneeRate is not null) is { } capacity
                ? Reading(runs.Key, capacity, capacity.KneeRate, isKnee: true)
                : Reading(runs.Key, runs.First(), runs.First().AchievedRate, isKnee: false))
            .OrderBy(r => r.SendPath, StringComparer.Ordinal)];
    }

    private static CapacityReadingDto Reading(string sendPath, LoadTestRunSummary run, double? rate, bool isKnee) =>
        new(sendPath, run.Scenario, run.Id, run.EndedAt ?? run.StartedAt, rate, isKnee, run.ThresholdsHeld);

    /// <summary>The stored report, or null when the run has none or it cannot be read (a report of another schema version).</summary>
    public static RunReport? Report(LoadTestRunRow row)
    {
        if (row.ReportJson is null)
        {
            return null;
        }

        try
        {
            return RunReport.FromJson(row.ReportJson);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
