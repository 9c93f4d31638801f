using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Contracts.Placement;
using Deliverability.Core.Placement;

namespace Deliverability.Server.Placement;

/// <summary>
/// <c>/api/placement</c>: run a placement test now (answered with the stored run when it finishes), list runs, one run
/// with its per-seed and per-provider results and the comparison with the run before, the latest run, and the
/// seeds and send paths, configured and added in the dashboard (passwords shown only as <c>"set"</c>).
/// </summary>
public static class PlacementApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapPlacementApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/placement").WithTags("Placement");
        group.MapPost("/runs", RunNowAsync);
        group.MapGet("/runs", ListAsync);
        group.MapGet("/runs/latest", LatestAsync);
        group.MapGet("/runs/{id:guid}", GetAsync);
        group.MapGet("/seeds", async (PlacementCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok((await catalog.GetSeedsAsync(cancellationToken)).Select(SeedDto.From).ToArray()));
        group.MapGet("/send-paths", async (PlacementCatalog catalog, CancellationToken cancellationToken) =>
            TypedResults.Ok((await catalog.GetSendPathsAsync(cancellationToken)).Select(SendPathDto.From).ToArray()));
        return app;
    }

    /// <summary>
    /// Runs synchronously: the request lasts until every message is found or <c>Monitor:Placement:Timeout</c> passes. A
    /// client that gives up does not cancel the run (the test messages are out): it is stored, and served by <c>latest</c>.
    /// </summary>
    private static async Task<Results<Ok<PlacementRunDto>, ProblemHttpResult>> RunNowAsync(string? path, PlacementRuns runs, IHostApplicationLifetime lifetime)
    {
        StoredPlacementRun? stored;
        try
        {
            stored = await runs.TryRunAsync(string.IsNullOrWhiteSpace(path) ? null : path.Trim(), lifetime.ApplicationStopping);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Cannot run a placement test", detail: ex.Message.Split(" (Parameter", 2)[0]);
        }

        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A placement run is in progress", detail: "Only one placement run happens at a time; GET /api/placement/runs/latest shows it when it is stored.")
            : TypedResults.Ok(stored.ToDto());
    }

    private static async Task<Results<Ok<PlacementRunSummaryDto[]>, ProblemHttpResult>> ListAsync(int? limit, PlacementBoard board, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxListLimit} (was {limit}).");
        }

        return TypedResults.Ok((await board.ListRunsAsync(limit ?? DefaultListLimit, cancellationToken)).ToArray());
    }

    private static async Task<Results<Ok<PlacementRunDto>, ProblemHttpResult>> LatestAsync(PlacementBoard board, CancellationToken cancellationToken)
    {
        var latest = await board.GetRunAsync(null, cancellationToken);
        return latest is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No placement run yet", detail: "No placement run is stored yet; POST /api/placement/runs runs one now.")
            : TypedResults.Ok(latest);
    }

    private static async Task<Results<Ok<PlacementRunDto>, ProblemHttpResult>> GetAsync(Guid id, PlacementBoard board, CancellationToken cancellationToken)
    {
        var run = await board.GetRunAsync(id, cancellationToken);
        return run is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown placement run", detail: $"No placement run has the id '{id}'.")
            : TypedResults.Ok(run);
    }
}
