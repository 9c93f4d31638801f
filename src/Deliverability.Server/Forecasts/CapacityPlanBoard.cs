using Microsoft.Extensions.Options;
using Deliverability.Core.Forecasts;
using Deliverability.Forecasting;
using Deliverability.Forecasting.Planning;
using Deliverability.Server.LoadTests;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// The capacity plan as of now, for the Forecasts page, the Overview's capacity section, the alert rule and
/// <c>/api/forecasts/plan</c> alike: the latest forecast of every stream, mapped to its send path, against the latest
/// capacity of each send path (the knee of its latest capacity search, else the achieved rate of a run whose thresholds
/// held), over the upcoming peak days.
/// </summary>
public sealed class CapacityPlanBoard(ForecastStore store, LoadTestBoard loadTests, IOptionsMonitor<ForecastOptions> options, TimeProvider time)
{
    /// <summary>Peak days further ahead than this are not listed: a plan is for the coming weeks.</summary>
    public static readonly TimeSpan PeakLookahead = TimeSpan.FromDays(90);

    public async Task<CapacityPlan> PlanAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Plan;

    /// <summary>The plan and the latest forecasts it was made from.</summary>
    public async Task<PlanReading> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        var runs = await store.LatestCompletedAsync(cancellationToken);
        var forecasts = runs
            .Select(r => (Run: r, Frequency: StoredForecast.Frequency(r.Frequency)))
            .Where(r => r.Frequency is not null)
            .Select(r => new StreamForecast(r.Run.Stream, settings.SendPathOf(r.Run.Stream), r.Frequency!.Value, StoredForecast.Points(r.Run)))
            .ToList();
        if (forecasts.Count == 0)
        {
            return new PlanReading(CapacityPlan.Empty(now, settings.PlanSettings), runs);
        }

        var capacities = (await loadTests.CapacityAsync(cancellationToken))
            .Where(r => r.Rate is > 0 && (r.IsKnee || r.ThresholdsHeld == true))
            .Select(r => new SendPathCapacity(r.SendPath, r.Rate!.Value, r.At, r.IsKnee, r.Scenario, r.RunId));
        return new PlanReading(CapacityPlanner.Plan(forecasts, capacities, UpcomingPeakDays(settings, now), settings.PlanSettings, now), runs);
    }

    /// <summary>The peak days of this year and the next (with the configured ones) from today on, within <see cref="PeakLookahead"/>.</summary>
    public static IReadOnlyList<PeakDay> UpcomingPeakDays(ForecastOptions settings, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return PeakDaysBetween(settings, today, DateOnly.FromDateTime((now + PeakLookahead).UtcDateTime));
    }

    /// <summary>The built-in and configured peak days from <paramref name="first"/> to <paramref name="last"/>, by date.</summary>
    public static IReadOnlyList<PeakDay> PeakDaysBetween(ForecastOptions settings, DateOnly first, DateOnly last)
    {
        var extra = settings.ExtraPeakDays;
        return [.. Enumerable.Range(first.Year, last.Year - first.Year + 1).SelectMany(year => PeakCalendar.PeakDays(year, extra)).Concat(extra)
            .Where(p => p.Date >= first && p.Date <= last)
            .DistinctBy(p => p.Date)
            .OrderBy(p => p.Date)];
    }
}

/// <summary>A capacity plan and the latest completed forecast of each stream it was made from.</summary>
public sealed record PlanReading(CapacityPlan Plan, IReadOnlyList<ForecastRunRow> Forecasts);
