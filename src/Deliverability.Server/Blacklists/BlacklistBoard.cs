using Deliverability.Core.Blacklists;

namespace Deliverability.Server.Blacklists;

/// <summary>
/// Reads the blacklist status for the Blacklists page and <c>/api/blacklists</c> alike (so both say the same): every
/// watched target on every zone that covers it, the health and budget of each zone, a summary, and the events.
/// Targets and zones are the monitor's (<see cref="BlacklistMonitor.Targets"/>, <see cref="BlacklistMonitor.Zones"/>).
/// </summary>
public sealed class BlacklistBoard(BlacklistMonitor monitor, BlacklistStore store, BlacklistQueryBudget budget)
{
    public const int DefaultEventLimit = 100;
    public const int MaxEventLimit = 1000;

    /// <summary>Every target and zone with the summary: one read of the stored states.</summary>
    public async Task<BlacklistOverviewDto> GetOverviewAsync(CancellationToken cancellationToken)
    {
        await monitor.EnsureTargetsLoadedAsync(cancellationToken);
        var rows = (await store.GetStatesAsync(null, cancellationToken)).ToLookup(r => r.Target, StringComparer.Ordinal);
        var targets = monitor.Targets.Select(t => TargetOf(t, [.. rows[t.Text]])).ToArray();
        var results = targets.SelectMany(t => t.Results).ToList();
        var zones = monitor.Zones.Select(z =>
        {
            var health = monitor.HealthOf(z.Name);
            return new BlacklistZoneDto(
                z.Name,
                z.DisplayName,
                KindWord(z.Kind),
                health is null ? "unknown" : HealthWord(health.Status),
                health?.Reason,
                z.RateLimitPerSecond,
                z.DailyCap,
                budget.UsedToday(z),
                results.Count(r => r.Zone == z.Name && r.State == BlacklistEventRow.Listed));
        }).ToArray();
        var summary = new BlacklistSummaryDto(
            targets.Length,
            zones.Length,
            targets.Count(t => t.ListedOn > 0),
            results.Count(r => r.State == BlacklistEventRow.Listed),
            results.Count(r => r.Status is "refused" or "error"),
            zones.Count(z => z.Health is not ("healthy" or "unknown")));
        return new BlacklistOverviewDto(summary, zones, targets);
    }

    /// <summary>One watched target (any spelling) with its result on each zone; null when it is not watched.</summary>
    public async Task<BlacklistTargetDto?> GetTargetAsync(string target, CancellationToken cancellationToken)
    {
        if (await monitor.FindAsync(target, cancellationToken) is not { } watched)
        {
            return null;
        }

        return TargetOf(watched, await store.GetStatesAsync(watched.Text, cancellationToken));
    }

    /// <summary>Listing and delisting events, newest first; <paramref name="target"/> already parsed (<see cref="BlacklistTarget.Text"/>).</summary>
    public async Task<IReadOnlyList<BlacklistEventDto>> GetEventsAsync(string? target, string? zone, int limit, CancellationToken cancellationToken)
    {
        var zoneName = string.IsNullOrWhiteSpace(zone) ? null : zone.Trim().TrimEnd('.').ToLowerInvariant();
        var rows = await store.GetEventsAsync(target, zoneName, limit, cancellationToken);
        return [.. rows.Select(BlacklistEventDto.From)];
    }

    /// <summary>The watched targets, in order, as the page's filter lists them.</summary>
    public IReadOnlyList<string> TargetNames => [.. monitor.Targets.Select(t => t.Text)];

    private BlacklistTargetDto TargetOf(BlacklistTarget target, IReadOnlyList<BlacklistStateRow> rows)
    {
        var results = monitor.Zones.Where(z => z.Covers(target))
            .Select(z => BlacklistResultDto.From(z, rows.FirstOrDefault(r => r.Zone == z.Name)))
            .ToArray();
        return new BlacklistTargetDto(target.Text, KindWord(target.Kind), results.Count(r => r.State == BlacklistEventRow.Listed), results);
    }

    private static string KindWord(BlacklistZoneKind kind) => kind == BlacklistZoneKind.Domain ? "domain" : "ip";

    private static string HealthWord(BlacklistZoneHealthStatus status) => status switch
    {
        BlacklistZoneHealthStatus.Healthy => "healthy",
        BlacklistZoneHealthStatus.Unhealthy => "unhealthy",
        BlacklistZoneHealthStatus.Refused => "refused",
        BlacklistZoneHealthStatus.Capped => "capped",
        _ => "unreachable",
    };
}
