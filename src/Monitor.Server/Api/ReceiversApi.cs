using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts;
using Monitor.Core.Alerts.Notifications;

namespace Monitor.Server.Api;

/// <summary>
/// <c>/api/alerts/receivers</c>: the configured receivers (name, type, send_resolved; never a URL, key or password),
/// their recent delivery attempts, and a test notification on demand.
/// </summary>
public static class ReceiversApi
{
    public const int DefaultAttemptsLimit = 50;
    public const int MaxAttemptsLimit = 1000;

    public static IEndpointRouteBuilder MapReceiversApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts/receivers").WithTags("Alert receivers");
        group.MapGet("/", List);
        group.MapGet("/attempts", AttemptsAsync);
        group.MapPost("/{name}/test", TestAsync);
        return app;
    }

    private static Ok<ReceiverDto[]> List(IOptions<AlertReceiversOptions> options) =>
        TypedResults.Ok(options.Value.Receivers.Select(ReceiverDto.From).ToArray());

    private static async Task<Results<Ok<NotificationAttemptDto[]>, ProblemHttpResult>> AttemptsAsync(string? receiver, int? limit, NotificationAttemptStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxAttemptsLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxAttemptsLimit} (was {limit}).");
        }

        var rows = await store.GetRecentAsync(receiver?.Trim(), limit ?? DefaultAttemptsLimit, cancellationToken);
        return TypedResults.Ok(rows.Select(NotificationAttemptDto.From).ToArray());
    }

    private static async Task<Results<Ok<TestNotificationDto>, ProblemHttpResult>> TestAsync(string name, HttpRequest request, IOptions<AlertReceiversOptions> options, IAlertNotificationSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        var receiver = options.Value.Receivers.FirstOrDefault(r => string.Equals(r.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (receiver is null)
        {
            var known = string.Join(", ", options.Value.Receivers.Select(r => r.Name.Trim()));
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown receiver", detail: $"'{name}' is not a configured receiver (Monitor:Alerts:Receivers: {(known.Length == 0 ? "none" : known)}).");
        }

        var externalUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/";
        var outcome = await sender.SendAsync(TestNotification.Create(receiver.Name.Trim(), externalUrl, time.GetUtcNow()), cancellationToken);
        var answer = new TestNotificationDto(outcome.Receiver, receiver.ParsedType?.ToString().ToLowerInvariant() ?? receiver.Type, outcome.Delivered, outcome.Attempts, outcome.Error);
        return outcome.Delivered
            ? TypedResults.Ok(answer)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status502BadGateway,
                title: "Test notification not delivered",
                detail: $"Receiver '{outcome.Receiver}' did not accept the test notification after {outcome.Attempts} attempt(s): {outcome.Error}",
                extensions: new Dictionary<string, object?> { ["receiver"] = outcome.Receiver, ["attempts"] = outcome.Attempts, ["error"] = outcome.Error });
    }
}

/// <summary>A configured receiver as the API shows it: no URL, routing key, SMTP server or password.</summary>
public sealed record ReceiverDto(string Name, string Type, bool SendResolved, int MaxAttempts, double TimeoutSeconds)
{
    public static ReceiverDto From(ReceiverOptions receiver) => new(
        receiver.Name.Trim(),
        receiver.ParsedType?.ToString().ToLowerInvariant() ?? receiver.Type,
        receiver.SendResolved,
        receiver.MaxAttempts,
        receiver.Timeout.TotalSeconds);
}

/// <summary>How a test notification ended.</summary>
public sealed record TestNotificationDto(string Receiver, string Type, bool Delivered, int Attempts, string? Error);

/// <summary>One delivery attempt. <see cref="Result"/>: <c>delivered</c>, <c>retrying</c> (another attempt followed) or <c>failed</c>.</summary>
public sealed record NotificationAttemptDto(string Receiver, string Type, string GroupKey, string Status, int Attempt, string Result, int? StatusCode, string? Error, double DurationMs, double? NextDelayMs, DateTimeOffset At)
{
    public static NotificationAttemptDto From(NotificationAttemptRow row) =>
        new(row.Receiver, row.ReceiverType, row.GroupKey, row.Status, row.Attempt, row.Result, row.StatusCode, row.Error, row.DurationMs, row.NextDelayMs, row.At);
}
