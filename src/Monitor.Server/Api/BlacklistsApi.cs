using Microsoft.AspNetCore.Http.HttpResults;
using Monitor.Core.Blacklists;

namespace Monitor.Server.Api;

/// <summary>
/// <c>/api/blacklists</c>: the status of every watched IP and domain on every zone with a summary and the health of
/// each zone, one target's status, the listing and delisting events, and checks on demand (all targets or one).
/// </summary>
public static class BlacklistsApi
{
    public const int DefaultEventLimit = 100;
    public const int MaxEventLimit = 1000;

    public static IEndpointRouteBuilder MapBlacklistsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/blacklists").WithTags("Blacklists");
        group.MapGet("/", OverviewAsync);
        group.MapGet("/events", EventsAsync);
        group.MapPost("/check", CheckAllAsync);
        group.MapGet("/{target}", TargetAsync);
        group.MapPost("/{target}/check", CheckTargetAsync);
        return app;
    }

    private static async Task<Ok<BlacklistOverviewDto>> OverviewAsync(BlacklistMonitor monitor, BlacklistStore store, BlacklistQueryBudget budget, CancellationToken cancellationToken) =>
        TypedResults.Ok(await OverviewOfAsync(monitor, store, budget, cancellationToken));

    private static async Task<Ok<BlacklistOverviewDto>> CheckAllAsync(BlacklistMonitor monitor, BlacklistStore store, BlacklistQueryBudget budget, CancellationToken cancellationToken)
    {
        await monitor.CheckAllAsync(cancellationToken);
        return TypedResults.Ok(await OverviewOfAsync(monitor, store, budget, cancellationToken));
    }

    private static async Task<Results<Ok<BlacklistTargetDto>, ProblemHttpResult>> TargetAsync(string target, BlacklistMonitor monitor, BlacklistStore store, CancellationToken cancellationToken)
    {
        if (await monitor.FindAsync(target, cancellationToken) is not { } configured)
        {
            return UnknownTarget(target);
        }

        var rows = await store.GetStatesAsync(configured.Text, cancellationToken);
        return TypedResults.Ok(TargetOf(configured, monitor.Zones, rows));
    }

    private static async Task<Results<Ok<BlacklistTargetDto>, ProblemHttpResult>> CheckTargetAsync(string target, BlacklistMonitor monitor, BlacklistStore store, CancellationToken cancellationToken)
    {
        if (await monitor.FindAsync(target, cancellationToken) is not { } configured)
        {
            return UnknownTarget(target);
        }

        await monitor.CheckTargetAsync(configured.Text, cancellationToken);
        var rows = await store.GetStatesAsync(configured.Text, cancellationToken);
        return TypedResults.Ok(TargetOf(configured, monitor.Zones, rows));
    }

    private static async Task<Results<Ok<BlacklistEventDto[]>, ProblemHttpResult>> EventsAsync(string? target, string? zone, int? limit, BlacklistMonitor monitor, BlacklistStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxEventLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxEventLimit} (was {limit}).");
        }

        string? targetText = null;
        if (!string.IsNullOrWhiteSpace(target))
        {
            // Past targets keep their history after leaving the configuration: any well-formed target may be asked.
            if (!BlacklistTarget.TryParse(target, out var parsed, out var error))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid target", detail: error);
            }

            targetText = parsed.Text;
        }

        var zoneName = string.IsNullOrWhiteSpace(zone) ? null : zone.Trim().TrimEnd('.').ToLowerInvariant();
        var rows = await store.GetEventsAsync(targetText, zoneName, limit ?? DefaultEventLimit, cancellationToken);
        return TypedResults.Ok(rows.Select(BlacklistEventDto.From).ToArray());
    }

    private static async Task<BlacklistOverviewDto> OverviewOfAsync(BlacklistMonitor monitor, BlacklistStore store, BlacklistQueryBudget budget, CancellationToken cancellationToken)
    {
        await monitor.EnsureTargetsLoadedAsync(cancellationToken);
        var rows = await store.GetStatesAsync(null, cancellationToken);
        var targets = monitor.Targets.Select(t => TargetOf(t, monitor.Zones, rows.Where(r => r.Target == t.Text).ToList())).ToArray();
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

    private static BlacklistTargetDto TargetOf(BlacklistTarget target, IReadOnlyList<BlacklistZone> zones, IReadOnlyList<BlacklistStateRow> rows)
    {
        var results = zones.Where(z => z.Covers(target))
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

    private static ProblemHttpResult UnknownTarget(string target) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown target",
            detail: $"'{target}' is not a watched IP or domain (Monitor:Domains names and sending IPs, Monitor:Blacklists:Targets).");
}
