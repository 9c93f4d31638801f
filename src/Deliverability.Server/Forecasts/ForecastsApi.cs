using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Deliverability.Core.Forecasts;
using Deliverability.Forecasting;
using Deliverability.Forecasting.Planning;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LoadTests;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// <c>/api/forecasts</c>: push or import a stream's history (CSV or JSON; merged by timestamp, or replacing it), read it,
/// enter planned campaigns, forecast a stream now, read its latest and earlier forecasts beside what happened, and the
/// capacity plan as JSON, CSV or Markdown. Reading needs Viewer; changing needs Operator.
/// </summary>
public static class ForecastsApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    /// <summary>At most this many campaigns are kept: they are typed in by planners, a few a month.</summary>
    public const int MaxCampaigns = 1000;

    public static IEndpointRouteBuilder MapForecastsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/forecasts").WithTags("Forecasts");
        group.MapGet("", async (ForecastBoard board, CancellationToken cancellationToken) => TypedResults.Ok(await board.StreamsAsync(cancellationToken)));
        group.MapGet("/plan", PlanAsync);
        group.MapPost("/history/{stream}", ImportAsync);
        group.MapGet("/history/{stream}", HistoryAsync);
        group.MapGet("/campaigns", CampaignsAsync);
        group.MapPost("/campaigns", AddCampaignAsync);
        group.MapDelete("/campaigns/{id}", DeleteCampaignAsync);
        group.MapGet("/runs/{id}", GetRunAsync);
        group.MapPost("/{stream}/run", RunAsync);
        group.MapGet("/{stream}", LatestAsync);
        group.MapGet("/{stream}/history", EarlierAsync);
        return app;
    }

    private static async Task<IResult> ImportAsync(
        HttpContext context, string stream, string? mode, IOptionsMonitor<ForecastOptions> options, ForecastStore store)
    {
        const string Title = "Invalid history";
        if (!StreamNames.IsValid(stream))
        {
            return InvalidStream(Title, stream);
        }

        var modeWord = string.IsNullOrWhiteSpace(mode) ? "merge" : mode.Trim().ToLowerInvariant();
        if (modeWord is not ("merge" or "replace"))
        {
            return BadRequest(Title, $"mode: merge (the default: a timestamp sent again replaces its count, the others stay) or replace (the stream's history becomes the body) (was '{StreamNames.Shown(mode)}')");
        }

        var max = options.CurrentValue.MaxHistoryBytes;
        var body = await BoundedRequestBody.ReadAsync(context, max);
        if (body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: Title, detail: $"body: at most {max} bytes are accepted ({ForecastOptions.SectionName}:MaxHistoryBytes)");
        }

        var json = context.Request.HasJsonContentType();
        var mediaType = context.Request.ContentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        if (!json && mediaType is not ("text/csv" or "text/plain"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: Title, detail: "body: send text/csv (timestamp,count lines) or application/json (an array of {\"timestamp\", \"count\"})");
        }

        if (body.Bytes.Length == 0)
        {
            return BadRequest(Title, "body: timestamp,count lines (CSV) or an array of {\"timestamp\", \"count\"} (JSON) are expected");
        }

        var (read, points, problem) = HistoryInput.Read(stream, body.Bytes.Span, json);
        if (points is null || problem is not null)
        {
            return BadRequest(Title, problem);
        }

        // Merged, the stored history and this import must make one series (same frequency, on its grid, no gap too large):
        // checked before anything is stored, so a refused import leaves the history as it was.
        var replace = modeWord == "replace";
        var stored = replace ? [] : await store.GetHistoryAsync(stream, context.RequestAborted);
        var sent = points.Select(p => p.Timestamp.UtcTicks).ToHashSet();
        VolumeSeries series;
        try
        {
            // With nothing stored to merge with, the series read from the body is already the one to store.
            series = stored.Count == 0 && read is not null
                ? read
                : VolumeSeries.Create(stream, stored.Where(p => !sent.Contains(p.Timestamp.UtcTicks)).Select(p => new VolumePoint(p.Timestamp, p.Count)).Concat(points));
        }
        catch (VolumeHistoryException ex)
        {
            var detail = ex.Message.Split('\n', 2)[0].Trim();
            return BadRequest(Title, stored.Count == 0 ? detail : $"with the history already stored for {stream}: {detail}");
        }

        var import = await store.ImportHistoryAsync(stream, [.. series.Points.Select(p => new HistoryPoint(p.Timestamp, p.Count))], replace, context.RequestAborted);
        return TypedResults.Ok(new HistoryImportDto(stream, StoredForecast.Word(series.Frequency), modeWord,
            import.Added, import.Updated, import.Unchanged, import.Removed, import.Total, [.. (read?.Repairs ?? []).Concat(series.Repairs).Distinct()]));
    }

    private static async Task<IResult> HistoryAsync(string stream, string? format, ForecastStore store, CancellationToken cancellationToken)
    {
        if (!StreamNames.IsValid(stream))
        {
            return InvalidStream("Invalid stream", stream);
        }

        var csv = string.Equals(format?.Trim(), "csv", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !csv && !string.Equals(format.Trim(), "json", StringComparison.OrdinalIgnoreCase))
        {
            return BadRequest("Invalid format", $"format: json or csv (was '{StreamNames.Shown(format)}')");
        }

        var points = await store.GetHistoryAsync(stream, cancellationToken);
        if (points.Count == 0)
        {
            return NoHistory(stream);
        }

        if (!csv)
        {
            return TypedResults.Ok(points.Select(p => new HistoryPointDto(p.Timestamp, p.Count)).ToArray());
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        VolumeHistoryCsv.Write(text, points.Select(p => new VolumePoint(p.Timestamp, p.Count)));
        return ReportResults.Csv(text.ToString(), $"{stream}-history.csv");
    }

    private static async Task<IResult> CampaignsAsync(string? stream, ForecastStore store, CancellationToken cancellationToken)
    {
        if (stream is not null && !StreamNames.IsValid(stream))
        {
            return InvalidStream("Invalid stream", stream);
        }

        return TypedResults.Ok((await store.ListCampaignsAsync(stream, cancellationToken)).Select(CampaignDto.From).ToArray());
    }

    private static async Task<IResult> AddCampaignAsync(BoundedJsonBody<CampaignRequest> body, ClaimsPrincipal user, ForecastStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        const string Title = "Invalid campaign";
        if (body.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: body.Status, title: Title, detail: problem);
        }

        var (campaign, refused) = Campaigns.Validate(body.Value, user.Identity?.Name ?? "unknown", time.GetUtcNow());
        if (campaign is null)
        {
            return BadRequest(Title, refused);
        }

        if (await store.CountCampaignsAsync(cancellationToken) >= MaxCampaigns)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many campaigns", detail: $"At most {MaxCampaigns} campaigns are kept; delete past ones first.");
        }

        await store.AddCampaignAsync(campaign, cancellationToken);
        return TypedResults.Created($"/api/forecasts/campaigns/{campaign.Id}", CampaignDto.From(campaign));
    }

    private static async Task<IResult> DeleteCampaignAsync(string id, ForecastStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var campaignId))
        {
            return BadRequest("Invalid campaign id", $"'{StreamNames.Shown(id)}' is not a campaign id (a GUID, as GET /api/forecasts/campaigns lists them).");
        }

        return await store.DeleteCampaignAsync(campaignId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign", detail: $"No campaign has the id '{campaignId}'.");
    }

    /// <summary>
    /// Answers when the forecast is stored (training takes seconds, on the thread pool). A client that gives up does not
    /// cancel it: it is stored and served by <c>GET /api/forecasts/{stream}</c>.
    /// </summary>
    private static async Task<IResult> RunAsync(string stream, ClaimsPrincipal user, ForecastRunner runner, ForecastStore store, ForecastBoard board, IHostApplicationLifetime lifetime)
    {
        if (!StreamNames.IsValid(stream))
        {
            return InvalidStream("Invalid stream", stream);
        }

        if (!await store.HasHistoryAsync(stream, lifetime.ApplicationStopping))
        {
            return NoHistory(stream);
        }

        var run = await runner.RunAsync(stream, "api", user.Identity?.Name ?? "unknown", wait: false, lifetime.ApplicationStopping);
        if (run is null)
        {
            return runner.IsRunning
                ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A forecast is being made", detail: "One forecast is made at a time; try again in a few seconds.")
                : NoHistory(stream);
        }

        if (run.Status == ForecastRunStatus.Failed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The forecast failed", detail: run.Error,
                extensions: new Dictionary<string, object?> { ["forecastId"] = run.Id });
        }

        return TypedResults.Created($"/api/forecasts/runs/{run.Id}", await board.GetAsync(run.Id, lifetime.ApplicationStopping));
    }

    private static async Task<IResult> LatestAsync(string stream, ForecastBoard board, CancellationToken cancellationToken)
    {
        if (!StreamNames.IsValid(stream))
        {
            return InvalidStream("Invalid stream", stream);
        }

        return await board.LatestAsync(stream, cancellationToken) is { } forecast
            ? TypedResults.Ok(forecast)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No forecast", detail: $"Stream {stream} has no forecast yet; POST /api/forecasts/{stream}/run makes one.");
    }

    private static async Task<IResult> EarlierAsync(string stream, int? limit, ForecastBoard board, CancellationToken cancellationToken)
    {
        if (!StreamNames.IsValid(stream))
        {
            return InvalidStream("Invalid stream", stream);
        }

        if (limit is < 1 or > MaxListLimit)
        {
            return BadRequest("Invalid limit", $"limit must be 1 to {MaxListLimit} (was {limit}).");
        }

        return TypedResults.Ok(await board.EarlierAsync(stream, limit ?? DefaultListLimit, cancellationToken));
    }

    private static async Task<IResult> GetRunAsync(string id, ForecastBoard board, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return BadRequest("Invalid forecast id", $"'{StreamNames.Shown(id)}' is not a forecast id (a GUID, as GET /api/forecasts/{{stream}}/history lists them).");
        }

        return await board.GetAsync(runId, cancellationToken) is { } forecast
            ? TypedResults.Ok(forecast)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown forecast", detail: $"No forecast has the id '{runId}'.");
    }

    private static async Task<IResult> PlanAsync(string? format, CapacityPlanBoard board, CancellationToken cancellationToken)
    {
        var word = format?.Trim().ToLowerInvariant();
        if (word is not (null or "json" or "csv" or "md" or "markdown"))
        {
            return BadRequest("Invalid format", $"format: json, csv or md (was '{StreamNames.Shown(format)}')");
        }

        var plan = await board.PlanAsync(cancellationToken);
        return word switch
        {
            "csv" => ReportResults.Csv(CapacityPlanExport.Csv(plan), $"capacity-plan-{plan.At:yyyy-MM-dd}.csv"),
            "md" or "markdown" => ReportResults.Markdown(CapacityPlanExport.Markdown(plan)),
            _ => TypedResults.Ok(CapacityPlanDto.From(plan)),
        };
    }

    private static IResult NoHistory(string stream) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No history", detail: $"Stream {stream} has no history; POST /api/forecasts/history/{stream} imports it.");

    private static IResult InvalidStream(string title, string? stream) =>
        BadRequest(title, StreamNames.Problem(stream));

    private static IResult BadRequest(string title, string? detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
