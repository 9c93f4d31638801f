using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Blacklists;

namespace Deliverability.Server.Blacklists;

/// <summary>
/// <c>/api/blacklists</c>: the status of every watched IP and domain on every zone with a summary and the health of
/// each zone, one target's status, the listing and delisting events, and checks on demand (all targets or one).
/// </summary>
public static class BlacklistsApi
{
    public const int DefaultEventLimit = BlacklistBoard.DefaultEventLimit;
    public const int MaxEventLimit = BlacklistBoard.MaxEventLimit;

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

    private static async Task<Ok<BlacklistOverviewDto>> OverviewAsync(BlacklistBoard board, CancellationToken cancellationToken) =>
        TypedResults.Ok(await board.GetOverviewAsync(cancellationToken));

    private static async Task<Ok<BlacklistOverviewDto>> CheckAllAsync(BlacklistMonitor monitor, BlacklistBoard board, CancellationToken cancellationToken)
    {
        await monitor.CheckAllAsync(cancellationToken);
        return TypedResults.Ok(await board.GetOverviewAsync(cancellationToken));
    }

    private static async Task<Results<Ok<BlacklistTargetDto>, ProblemHttpResult>> TargetAsync(string target, BlacklistBoard board, CancellationToken cancellationToken) =>
        await board.GetTargetAsync(target, cancellationToken) is { } found ? TypedResults.Ok(found) : UnknownTarget(target);

    private static async Task<Results<Ok<BlacklistTargetDto>, ProblemHttpResult>> CheckTargetAsync(string target, BlacklistMonitor monitor, BlacklistBoard board, CancellationToken cancellationToken)
    {
        if (await monitor.FindAsync(target, cancellationToken) is not { } configured)
        {
            return UnknownTarget(target);
        }

        await monitor.CheckTargetAsync(configured.Text, cancellationToken);
        return TypedResults.Ok((await board.GetTargetAsync(configured.Text, cancellationToken))!);
    }

    private static async Task<Results<Ok<BlacklistEventDto[]>, ProblemHttpResult>> EventsAsync(string? target, string? zone, int? limit, BlacklistBoard board, CancellationToken cancellationToken)
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

        return TypedResults.Ok((await board.GetEventsAsync(targetText, zone, limit ?? DefaultEventLimit, cancellationToken)).ToArray());
    }

    private static ProblemHttpResult UnknownTarget(string target) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown target",
            detail: $"'{target}' is not a watched IP or domain (Monitor:Domains names and sending IPs, Monitor:Blacklists:Targets).");
}
