using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.MessageChecks;

/// <summary>
/// <c>/api/message-checks</c>: check a message (Operator; the raw message as the body, bounded by
/// <c>MaxMessageBytes</c>; 429 with Retry-After when as many checks run and wait as allowed), give out a check address
/// and say what became of it, list past checks, read one as JSON or HTML, and its renders as PNG.
/// </summary>
public static class MessageChecksApi
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 500;

    public static IEndpointRouteBuilder MapMessageChecksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/message-checks").WithTags("Message checks");
        group.MapPost("", CheckAsync);
        group.MapPost("/address", IssueAddressAsync);
        group.MapGet("/address/{tag}", AddressAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapGet("/{id:guid}/renders/{name}.png", RenderAsync);
        return app;
    }

    private static async Task<IResult> CheckAsync(HttpContext context, IOptions<MessageCheckOptions> options, MessageCheckRunner runner)
    {
        const string Title = "Invalid message";
        var max = options.Value.MaxMessageBytes;
        var body = await BoundedRequestBody.ReadAsync(context, max);
        if (body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: Title, detail: $"body: at most {max} bytes are accepted ({MessageCheckOptions.SectionName}:MaxMessageBytes)");
        }

        try
        {
            var dto = await runner.CheckAsync(body.Bytes, "upload", context.RequestAborted);
            return TypedResults.Created($"/api/message-checks/{dto.Id}", dto);
        }
        catch (MessageInputException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: Title, detail: $"body: {ex.Message}; send the message as it is sent (an .eml file, Content-Type message/rfc822)");
        }
        catch (MessageChecksBusyException ex)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(ex.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many message checks", detail: ex.Message);
        }
    }

    private static async Task<Results<Created<CheckAddressDto>, ProblemHttpResult>> IssueAddressAsync(CheckAddresses addresses, CancellationToken cancellationToken) =>
        await addresses.IssueAsync(cancellationToken) is { } address
            ? TypedResults.Created($"/api/message-checks/address/{address.Tag}", address)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No check address", detail: CheckAddresses.NotConfigured);

    private static async Task<Results<Ok<CheckAddressDto>, ProblemHttpResult>> AddressAsync(string tag, CheckAddresses addresses, CancellationToken cancellationToken) =>
        await addresses.GetAsync(tag, cancellationToken) is { } address
            ? TypedResults.Ok(address)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown check address", detail: "no check address has this tag (expired addresses are removed)");

    private static async Task<Results<Ok<MessageCheckSummaryDto[]>, ProblemHttpResult>> ListAsync(int? limit, MessageCheckStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxListLimit} (was {limit}).");
        }

        var rows = await store.ListAsync(limit ?? DefaultListLimit, cancellationToken);
        return TypedResults.Ok(rows.Select(r => new MessageCheckSummaryDto(r.Id, r.CheckedAt, r.Source, r.Subject, r.From, r.Score, r.Errors, r.Warnings)).ToArray());
    }

    private static async Task<IResult> GetAsync(Guid id, string? format, MessageCheckStore store, CancellationToken cancellationToken)
    {
        var html = string.Equals(format?.Trim(), "html", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !html && !string.Equals(format.Trim(), "json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid format", detail: "format: json (the default) or html");
        }

        if (await store.GetAsync(id, cancellationToken) is not { } row)
        {
            return NotFound(id);
        }

        if (!html)
        {
            return TypedResults.Text(row.ReportJson, "application/json");
        }

        var dto = JsonSerializer.Deserialize<MessageCheckDto>(row.ReportJson, MessageCheckRunner.Json)!;
        return TypedResults.Text(MessageCheckHtml.Write(dto), "text/html; charset=utf-8");
    }

    private static async Task<IResult> RenderAsync(Guid id, string name, MessageCheckStore store, CancellationToken cancellationToken) =>
        name.Length <= 32 && await store.GetRenderAsync(id, name, cancellationToken) is { } png
            ? TypedResults.File(png, "image/png")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown render", detail: $"check {id} has no render '{(name.Length <= 32 ? name : name[..32])}'");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown message check", detail: $"no message check {id} is stored (only the latest {MessageCheckOptions.SectionName}:MaxStoredChecks are kept)");
}
