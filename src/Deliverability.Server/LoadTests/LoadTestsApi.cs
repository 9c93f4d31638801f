using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.LoadTests;
using Deliverability.Core.Live;
using Deliverability.Load;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.LoadTests;

/// <summary>
/// <c>/api/loadtests</c>: start a stored scenario (Operator; one run at a time per node), import a report made by the CLI
/// on a generator machine (Operator), list runs, one run as JSON or as the engine's HTML, Markdown or CSV report, the
/// stored scenarios with their problems, and the engine's comparison of two runs. Reading needs Viewer.
/// </summary>
public static class LoadTestsApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapLoadTestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/loadtests").WithTags("Load tests");
        group.MapGet("", ListAsync);
        group.MapPost("", StartAsync);
        group.MapPost("/import", ImportAsync);
        group.MapGet("/scenarios", (ScenarioCatalog catalog) => TypedResults.Ok(catalog.List().Select(s => s.ToDto()).ToArray()));
        group.MapGet("/compare", CompareAsync);
        group.MapGet("/{id}", GetAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? scenario, string? sendPath, int? limit, LoadTestBoard board, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return BadRequest("Invalid limit", $"limit must be 1 to {MaxListLimit} (was {limit}).");
        }

        if ((TooLong(scenario, "scenario") ?? TooLong(sendPath, "sendPath")) is { } problem)
        {
            return BadRequest("Invalid filter", problem);
        }

        var query = new LoadTestRunQuery(limit ?? DefaultListLimit, Blank(scenario), Blank(sendPath));
        return TypedResults.Ok((await board.ListAsync(query, cancellationToken)).ToArray());
    }

    private static async Task<IResult> StartAsync(BoundedJsonBody<StartLoadTestRequest> body, ClaimsPrincipal user, LoadTestRuns runs, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: body.Status, title: "Invalid load-test request", detail: problem);
        }

        if (Blank(body.Value?.Scenario) is not { } scenario)
        {
            return BadRequest("Invalid load-test request", "scenario: the name of a stored scenario is expected (GET /api/loadtests/scenarios lists them).");
        }

        var launch = await runs.StartAsync(scenario, user.Identity?.Name ?? "unknown", cancellationToken);
        return launch.Kind switch
        {
            LoadTestLaunchKind.Started => TypedResults.Accepted(Location(launch.RunId!.Value), new LoadTestStartedDto(launch.RunId.Value, Location(launch.RunId.Value), LoadTestRunSummaryDto.StatusWord(launch.Status))),
            LoadTestLaunchKind.Busy => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A load test is running", detail: "This node runs one load test at a time; GET /api/loadtests shows the running one."),
            LoadTestLaunchKind.Unknown => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown scenario", detail: launch.Error),
            LoadTestLaunchKind.Refused => BadRequest("Load test refused", launch.Error),
            _ => BadRequest("The scenario cannot run", launch.Error),
        };
    }

    private static async Task<IResult> ImportAsync(
        HttpContext context, string? sendPath, string? kind, ClaimsPrincipal user, IOptionsMonitor<LoadTestOptions> options,
        LoadTestRunStore store, LiveFeed<LoadTestRunChanged> changed, TimeProvider time)
    {
        const string Title = "Invalid load-test report";
        if (TooLong(sendPath, "sendPath") is { } tooLong)
        {
            return BadRequest(Title, tooLong);
        }

        var kindWord = Blank(kind)?.ToLowerInvariant();
        if (kindWord is not (null or "smtp" or "http"))
        {
            return BadRequest(Title, "kind: smtp or http (or leave it out: the report's outcomes tell).");
        }

        var max = options.CurrentValue.MaxReportBytes;
        var body = await BoundedRequestBody.ReadAsync(context, max);
        if (body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: Title, detail: $"body: at most {max} bytes are accepted ({LoadTestOptions.SectionName}:MaxReportBytes)");
        }

        if (body.Bytes.Length == 0)
        {
            return BadRequest(Title, "body: the report JSON of a run is expected (the report.json that `monitor loadtest ... --report FOLDER` writes).");
        }

        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: Title, detail: "body: send JSON (Content-Type: application/json)");
        }

        RunReport report;
        try
        {
            report = RunReport.FromJson(new UTF8Encoding(false, true).GetString(body.Bytes.Span));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException or ArgumentException)
        {
            return BadRequest(Title, "body: " + OneLine(ex.Message));
        }

        if (ImportedRun.Problem(report) is { } problem)
        {
            return BadRequest(Title, problem);
        }

        // The same report imported again (a retried upload, a script run twice) is the run already stored: 200 with it.
        var row = ImportedRun.Row(report, kindWord, Blank(sendPath), user.Identity?.Name ?? "unknown");
        if (await store.GetAsync(row.Id, context.RequestAborted) is { } stored)
        {
            return AlreadyImported(context, stored);
        }

        try
        {
            await store.AddAsync(row, context.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // Another request stored the same report between the look-up and the insert.
            var raced = await store.GetAsync(row.Id, CancellationToken.None);
            if (raced is null)
            {
                throw;
            }

            return AlreadyImported(context, raced);
        }

        changed.Publish(new LoadTestRunChanged(row.Id, row.Scenario, row.Status));
        return TypedResults.Created(Location(row.Id), LoadTestRunSummaryDto.From(LoadTestRunStore.Summary(row)));
    }

    private static IResult AlreadyImported(HttpContext context, LoadTestRunRow stored)
    {
        context.Response.Headers.Location = Location(stored.Id);
        return TypedResults.Ok(LoadTestRunSummaryDto.From(LoadTestRunStore.Summary(stored)));
    }

    private static async Task<IResult> GetAsync(string id, string? format, LoadTestBoard board, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return BadRequest("Invalid run id", $"'{Shown(id)}' is not a run id (a GUID, as GET /api/loadtests lists them).");
        }

        var reportFormat = ReportFormat.Json;
        if (format is not null && !ReportWriter.TryParseFormat(format, out reportFormat))
        {
            return BadRequest("Invalid format", $"format: json, html, md or csv (was '{Shown(format)}').");
        }

        var row = await board.GetAsync(runId, cancellationToken);
        if (row is null)
        {
            return NotFound(runId);
        }

        if (reportFormat == ReportFormat.Json)
        {
            return TypedResults.Ok(LoadTestRunDto.From(row));
        }

        if (LoadTestBoard.Report(row) is not { } report)
        {
            return NoReport(row);
        }

        return reportFormat switch
        {
            ReportFormat.Html => ReportResults.Html(HtmlReport.Render(report)),
            ReportFormat.Csv => ReportResults.Csv(CsvReport.Render(report), $"loadtest-{row.Id:N}.csv"),
            _ => ReportResults.Markdown(MarkdownReport.Render(report)),
        };
    }

    private static async Task<IResult> CompareAsync(string? a, string? b, string? format, LoadTestBoard board, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(a, out var baselineId) || !Guid.TryParse(b, out var candidateId))
        {
            return BadRequest("Invalid comparison", "a and b: the ids of two runs are expected (a the baseline, b the candidate).");
        }

        var html = false;
        if (format is not null && !(html = string.Equals(format.Trim(), "html", StringComparison.OrdinalIgnoreCase))
            && !string.Equals(format.Trim(), "md", StringComparison.OrdinalIgnoreCase) && !string.Equals(format.Trim(), "markdown", StringComparison.OrdinalIgnoreCase))
        {
            return BadRequest("Invalid format", $"format: md or html (was '{Shown(format)}').");
        }

        var baseline = await board.GetAsync(baselineId, cancellationToken);
        var candidate = await board.GetAsync(candidateId, cancellationToken);
        if (baseline is null || candidate is null)
        {
            return NotFound(baseline is null ? baselineId : candidateId);
        }

        if (LoadTestBoard.Report(baseline) is not { } baselineReport)
        {
            return NoReport(baseline);
        }

        if (LoadTestBoard.Report(candidate) is not { } candidateReport)
        {
            return NoReport(candidate);
        }

        return html
            ? ReportResults.Html(ComparisonReport.RenderHtml(baselineReport, candidateReport))
            : ReportResults.Markdown(ComparisonReport.RenderMarkdown(baselineReport, candidateReport));
    }

    private static string Location(Guid id) => $"/api/loadtests/{id}";

    private static IResult NoReport(LoadTestRunRow row) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "No report",
        detail: row.ReportJson is not null
            ? $"The report of run {row.Id} cannot be read by this version of the service; GET /api/loadtests/{row.Id} serves it as stored."
            : row.Status == LoadTestRunStatus.Running
                ? $"Run {row.Id} is still running: its report comes when it ends."
                : $"Run {row.Id} ended without a report ({LoadTestRunSummaryDto.StatusWord(row.Status)}{(row.Reason is null ? "" : ": " + row.Reason)}).");

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown load-test run", detail: $"No load-test run has the id '{id}'.");

    private static IResult BadRequest(string title, string? detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static string? TooLong(string? value, string name) =>
        value is { Length: > LoadTestRunStore.MaxNameLength } ? $"{name}: at most {LoadTestRunStore.MaxNameLength} characters" : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Shown(string text) => text.Length <= 60 ? text : text[..60] + "...";

    private static string OneLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
