using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Configuration;

namespace Deliverability.Server.Alerts;

/// <summary>
/// <c>/api/alerts/receivers</c>: the receivers, configured and added in the dashboard (name, type, send_resolved; never a URL, key or password),
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

    private static async Task<Ok<ReceiverDto[]>> List(AlertReceiverCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.GetAllAsync(cancellationToken)).Select(ReceiverDto.From).ToArray());

    private static async Task<Results<Ok<NotificationAttemptDto[]>, ProblemHttpResult>> AttemptsAsync(string? receiver, int? limit, NotificationAttemptStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxAttemptsLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit", detail: $"limit must be 1 to {MaxAttemptsLimit} (was {limit}).");
        }

        var rows = await store.GetRecentAsync(receiver?.Trim(), limit ?? DefaultAttemptsLimit, cancellationToken);
        return TypedResults.Ok(rows.Select(NotificationAttemptDto.From).ToArray());
    }

    private static async Task<Results<Ok<TestNotificationDto>, ProblemHttpResult>> TestAsync(string name, HttpRequest request, AlertReceiverCatalog catalog, IAlertNotificationSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        var all = await catalog.GetAllAsync(cancellationToken);
        var receiver = catalog.Find(name);
        if (receiver is null)
        {
            var known = string.Join(", ", all.Where(r => r.Origin == SettingOrigin.Configuration).Select(r => r.Name));
            var added = string.Join(", ", all.Where(r => r.Origin == SettingOrigin.Dashboard).Select(r => r.Name));
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown receiver",
                detail: $"'{name}' is not a configured receiver (Monitor:Alerts:Receivers: {(known.Length == 0 ? "none" : known)}{(added.Length == 0 ? "" : "; added in the dashboard: " + added)}).");
        }

        var outcome = await TestNotification.SendAsync(sender, receiver, $"{request.Scheme}://{request.Host}{request.PathBase}/", time, cancellationToken);
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

/// <summary>A receiver as the API shows it: no URL, routing key, SMTP server or password.</summary>
/// <param name="Origin"><c>configuration</c> (Monitor:Alerts:Receivers) or <c>dashboard</c>.</param>
public sealed record ReceiverDto(string Name, string Type, bool SendResolved, int MaxAttempts, double TimeoutSeconds, string Origin)
{
    public static ReceiverDto From(CatalogReceiver item)
    {
        var receiver = item.Receiver;
        return new(
            item.Name,
            receiver.ParsedType?.ToString().ToLowerInvariant() ?? receiver.Type,
            receiver.SendResolved,
            receiver.MaxAttempts,
            receiver.Timeout.TotalSeconds,
            item.Origin.ToString().ToLowerInvariant());
    }
}

/// <summary>How a test notification ended.</summary>
public sealed record TestNotificationDto(string Receiver, string Type, bool Delivered, int Attempts, string? Error);

/// <summary>One delivery attempt. <see cref="Result"/>: <c>delivered</c>, <c>retrying</c> (another attempt followed) or <c>failed</c>.</summary>
public sealed record NotificationAttemptDto(string Receiver, string Type, string GroupKey, string Status, int Attempt, string Result, int? StatusCode, string? Error, double DurationMs, double? NextDelayMs, DateTimeOffset At)
{
    public static NotificationAttemptDto From(NotificationAttemptRow row) =>
        new(row.Receiver, row.ReceiverType, row.GroupKey, row.Status, row.Attempt, row.Result, row.StatusCode, row.Error, row.DurationMs, row.NextDelayMs, row.At);
}
