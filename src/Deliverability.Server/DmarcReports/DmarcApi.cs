using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Dns;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.DmarcReports;

/// <summary>
/// <c>/api/dmarc</c>: the domains seen in the reports, per domain the daily rates, the sources and the readiness verdict,
/// the stored reports with their raw XML, the inputs with what became of them, and the upload of a report (Operator;
/// any format the importer reads, bounded by <c>Monitor:DmarcReports:MaxUploadBytes</c>).
/// </summary>
public static class DmarcApi
{
    public const int DefaultDays = 30;

    public static IEndpointRouteBuilder MapDmarcApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dmarc").WithTags("DMARC reports");
        group.MapGet("/domains", async (DmarcBoard board, int? days, CancellationToken cancellationToken) =>
            TypedResults.Ok((await board.DomainsAsync(days ?? DefaultDays, cancellationToken)).Select(d => new DmarcDomainDto(d.Domain, DmarcRatesDto.Of(d.Rates), d.LastDay, d.Sources))));
        group.MapGet("/domains/{domain}/daily", async (string domain, int? days, DmarcBoard board, CancellationToken cancellationToken) =>
            Valid(domain) is { } problem ? problem : TypedResults.Ok((await board.DailyAsync(domain, days ?? DefaultDays, cancellationToken)).Select(d => new DmarcDayDto(d.Day, DmarcRatesDto.Of(d.Rates)))));
        group.MapGet("/domains/{domain}/sources", async (string domain, int? days, DmarcBoard board, CancellationToken cancellationToken) =>
            Valid(domain) is { } problem ? problem : TypedResults.Ok((await board.SourcesAsync(domain, days ?? DefaultDays, cancellationToken)).Select(DmarcSourceDto.Of)));
        group.MapGet("/domains/{domain}/readiness", async (string domain, DmarcBoard board, CancellationToken cancellationToken) =>
            Valid(domain) is { } problem ? problem : TypedResults.Ok(PolicyReadinessDto.Of(await board.ReadinessAsync(domain, cancellationToken))));
        group.MapGet("/reports", async (string? domain, int? limit, DmarcBoard board, CancellationToken cancellationToken) =>
            domain is not null && Valid(domain) is { } problem ? problem : TypedResults.Ok((await board.ReportsAsync(Normal(domain), limit ?? 50, cancellationToken)).Select(DmarcReportDto.Of)));
        group.MapGet("/reports/{id:long}", async (long id, DmarcBoard board, CancellationToken cancellationToken) =>
            await board.ReportAsync(id, cancellationToken) is { } report
                ? Results.Ok(new DmarcReportXmlDto(DmarcReportDto.Of(report.Report), report.Xml, report.Truncated))
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such report", detail: $"no stored report has the id {id}"));
        group.MapGet("/inputs", async (string? outcome, int? limit, DmarcBoard board, CancellationToken cancellationToken) =>
        {
            ReportInputOutcome? wanted = null;
            if (!string.IsNullOrWhiteSpace(outcome))
            {
                if (!Enum.TryParse<ReportInputOutcome>(outcome.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(outcome, out _))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid outcome", detail: "outcome: imported, duplicate, invalid or unsaved");
                }

                wanted = parsed;
            }

            return Results.Ok((await board.InputsAsync(limit ?? 50, wanted, cancellationToken)).Select(ReportInputDto.Of));
        });
        group.MapPost("/reports", UploadAsync);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ClaimsPrincipal user, string? name, DmarcBoard board, [FromServices] IReportImporter importer, ReportInputLog log, ILoggerFactory loggers)
    {
        const string Title = "Invalid report";
        var max = (int)Math.Min(board.MaxUploadBytes, int.MaxValue);
        var body = await BoundedRequestBody.ReadAsync(context, max);
        if (body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: Title, detail: $"body: at most {max} bytes are accepted ({DmarcIngestOptions.SectionName}:MaxUploadBytes)");
        }

        if (body.Bytes.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: Title, detail: "body: a DMARC aggregate or TLS-RPT report is expected (XML, JSON, gzip, zip or an e-mail carrying one)");
        }

        return await ImportAsync(body.Bytes, Shown(name) ?? "upload", $"upload by {user.Identity?.Name ?? "unknown"}", importer, log, loggers.CreateLogger(typeof(DmarcApi)), context.RequestAborted) is { } result
            ? result.Outcome == "invalid"
                ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: Title, detail: result.Reason, extensions: new Dictionary<string, object?> { ["reports"] = result.Reports })
                : Results.Ok(result)
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Report not saved", detail: "the report could not be saved now (storage unavailable); send it again later");
    }

    /// <summary>Imports uploaded bytes and records the input; null when the store failed (nothing is recorded as done).</summary>
    public static async Task<UploadResultDto?> ImportAsync(ReadOnlyMemory<byte> bytes, string name, string source, IReportImporter importer, ReportInputLog log, ILogger logger, CancellationToken cancellationToken)
    {
        ImportResult result;
        try
        {
            using var content = new MemoryStream(bytes.ToArray(), writable: false);
            result = await importer.ImportAsync(content, source, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("An uploaded DMARC report ({Name}) could not be saved: {Problem}", name, ex.Message);
            return null;
        }

        var (outcome, reason) = ReportInputLog.Judge(result);
        try
        {
            await log.AddAsync(source, name, outcome, reason, result.Reports.Count(r => r.Status != ImportStatus.Invalid), null, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The DMARC input list could not record the upload {Name}: {Problem}", name, ex.Message);
        }

        return new UploadResultDto(DmarcWords.Of(outcome), reason, [.. result.Reports.Select(UploadedReportDto.Of)]);
    }

    private static IResult? Valid(string domain) => DomainName.TryParse(domain, out _, out var problem)
        ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid domain", detail: $"domain: {problem}");

    private static string? Normal(string? domain) => domain is not null && DomainName.TryParse(domain, out var name, out _) ? name.Ascii : null;

    /// <summary>A file name as given, cut and without control characters, or null.</summary>
    private static string? Shown(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : new string([.. name.Where(c => !char.IsControl(c)).Take(200)]);
}
