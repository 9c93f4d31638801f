using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.Sources;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary>
/// <c>POST /hooks/{source}</c>: anonymous for the service's sign-in, authenticated by the provider's own scheme (a
/// signature or a shared secret). 200 only after the events are committed; 401 with nothing stored for bad credentials;
/// 400 with the reason for a body not in the format (kept in quarantine); 503 when storage fails, so the provider retries.
/// </summary>
public static partial class HooksEndpoint
{
    public static IEndpointRouteBuilder MapHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{source}", ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Send events");
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext context, string source, IOptionsMonitor<SendEventsOptions> options, SendEventFormats formats,
        SendEventNormalizers normalizers, SendEventWriter writer, SendEventStore store, ILogger<SendEventFormats> logger)
    {
        var settings = options.CurrentValue;
        if (settings.Source(source) is not { } configured || formats.Of(configured.Provider) is not { } format)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such source", detail: "source: not a configured send-events source");
        }

        var body = await BoundedRequestBody.ReadAsync(context, settings.MaxRequestBytes);
        if (body.TooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                detail: $"body: at most {settings.MaxRequestBytes} bytes are accepted ({SendEventsOptions.SectionName}:MaxRequestBytes)");
        }

        var headers = context.Request.Headers;
        var request = new HookRequest(body.Bytes, name => headers.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null);
        var outcome = await format.ReadAsync(request, configured, context.RequestAborted);
        switch (outcome)
        {
            case HookOutcome.Unauthorized refused:
                LogRefused(logger, configured.Name, refused.Reason);
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated", detail: refused.Reason);
            case HookOutcome.Malformed malformed:
                await store.QuarantineAsync(configured.Name, malformed.Reason, body.Bytes, CancellationToken.None);
                LogQuarantined(logger, configured.Name, malformed.Reason);
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not in the source's format", detail: malformed.Reason);
            case HookOutcome.Handled handled:
                if (handled.RecordForOperator)
                {
                    await store.QuarantineAsync(configured.Name, handled.Message, body.Bytes, CancellationToken.None);
                    LogForOperator(logger, configured.Name, handled.Message);
                }

                return TypedResults.Ok(new HookAnswer(0, 0, handled.Message));
            case HookOutcome.Events events:
                var normalizer = normalizers.For(settings);
                var rows = events.Drafts.Select(d => normalizer.Normalise(format.Provider, configured.Name, d)).ToList();
                try
                {
                    var stored = await writer.WriteAsync(rows, context.RequestAborted);
                    return TypedResults.Ok(new HookAnswer(rows.Count, stored, null));
                }
                catch (SendEventStorageException)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored", detail: "the events could not be stored; send them again");
                }

            default:
                throw new InvalidOperationException("unknown outcome");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send-events source {Source} refused a post: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send-events source {Source} quarantined a post: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send-events source {Source}: {Message} (kept in send_event_quarantine)")]
    private static partial void LogForOperator(ILogger logger, string source, string message);
}

/// <summary>The answer to a webhook: events read, events newly stored (the rest were duplicates), and a note.</summary>
public sealed record HookAnswer(int Received, int Stored, string? Message);
