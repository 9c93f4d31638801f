using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Deliverability.Contracts.Alerts;
using Deliverability.Core.Alerts;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Alerts;

/// <summary>
/// <c>/api/alerts</c>: the active alerts with filters, one alert with its history, acknowledgement, and the silences
/// (list, read, create, expire). Whoever acknowledges or silences is the signed-in user or the API key (its name,
/// <c>api-key:NAME</c>); a name in the body is only a note. Bodies, texts and matchers are bounded; bad input is a
/// 400 (413 for a body too large, 415 for one that is not JSON) with problem details naming the field.
/// </summary>
public static class AlertsApi
{
    public const int HistoryLimit = 500;

    /// <summary>The most alerts one list request may ask for with <c>limit</c>.</summary>
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync);
        group.MapGet("/silences", ListSilencesAsync);
        group.MapGet("/silences/{id}", GetSilenceAsync);
        group.MapPost("/silences", CreateSilenceAsync);
        group.MapDelete("/silences/{id}", ExpireSilenceAsync);
        group.MapGet("/{fingerprint}", GetAsync);
        group.MapPost("/{fingerprint}/acknowledge", AcknowledgeAsync);
        return app;
    }

    /// <summary>Pending and firing alerts (all with <c>resolved=true</c>; the first <c>limit</c> in list order), filtered by state, name, severity, domain, ack, muting and label matchers (<c>filter=check=~spf|dkim</c>, repeatable).</summary>
    private static async Task<Results<Ok<AlertDto[]>, ProblemHttpResult>> ListAsync(
        AlertStore store,
        string? state,
        string? alertname,
        string? severity,
        string? domain,
        bool? resolved,
        bool? acknowledged,
        bool? muted,
        int? limit,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "filter")] string[]? filter,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return BadRequest("Invalid limit", $"limit must be 1 to {MaxListLimit} (was {limit}).");
        }

        AlertState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<AlertState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return BadRequest("Invalid state", $"state must be pending, firing or resolved (was '{state}').");
            }

            wanted = parsed;
        }

        if (filter is { Length: > AlertMatcher.MaxCount })
        {
            return BadRequest("Invalid filter", $"filter: at most {AlertMatcher.MaxCount} filters (was {filter.Length}).");
        }

        var matchers = new List<AlertMatcher>();
        foreach (var (name, value) in new[] { ("alertname", alertname), ("severity", severity), ("domain", domain) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                try
                {
                    matchers.Add(new AlertMatcher(name, MatchOperator.Equal, value));
                }
                catch (FormatException ex)
                {
                    return BadRequest("Invalid filter", $"{name}: {ex.Message}.");
                }
            }
        }

        foreach (var text in filter ?? [])
        {
            try
            {
                matchers.Add(AlertMatcher.Parse(text));
            }
            catch (FormatException ex)
            {
                return BadRequest("Invalid filter", $"filter: {ex.Message}.");
            }
        }

        var rows = await store.ListAsync(new AlertFilter(wanted, matchers, resolved ?? false, acknowledged, muted, limit), cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToDto()).ToArray());
    }

    private static async Task<Results<Ok<AlertDetailDto>, ProblemHttpResult>> GetAsync(string fingerprint, AlertStore store, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(fingerprint, cancellationToken);
        if (row is null)
        {
            return UnknownAlert(fingerprint);
        }

        var history = await store.GetHistoryAsync(fingerprint, HistoryLimit, cancellationToken);
        return TypedResults.Ok(new AlertDetailDto(row.ToDto(), history.Select(h => h.ToDto()).ToArray()));
    }

    private static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> AcknowledgeAsync(
        string fingerprint, BoundedJsonBody<AcknowledgeRequest> body, ClaimsPrincipal user, AlertAcknowledgements acknowledgements, AlertStore store, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: body.Status, title: "Invalid acknowledgement", detail: problem);
        }

        AcknowledgeResult result;
        try
        {
            result = await acknowledgements.AcknowledgeAsync(fingerprint, Actor(user), body.Value?.By, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return BadRequest("Invalid acknowledgement", ex.Message);
        }

        switch (result)
        {
            case AcknowledgeResult.NotFound:
                return UnknownAlert(fingerprint);
            case AcknowledgeResult.NotActive:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Alert resolved", detail: $"Alert '{fingerprint}' is resolved: there is nothing to acknowledge.");
            default:
                return TypedResults.Ok((await store.GetAsync(fingerprint, cancellationToken))!.ToDto());
        }
    }

    private static async Task<Ok<SilenceDto[]>> ListSilencesAsync(AlertStore store, TimeProvider time, bool? expired, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await store.ListSilencesAsync(expired ?? false, cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.ToDto(now)).ToArray());
    }

    private static async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> GetSilenceAsync(string id, AlertStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var row = await store.GetSilenceAsync(id, cancellationToken);
        return row is null ? UnknownSilence(id) : TypedResults.Ok(row.ToDto(time.GetUtcNow()));
    }

    private static async Task<Results<Created<SilenceDto>, ProblemHttpResult>> CreateSilenceAsync(
        BoundedJsonBody<CreateSilenceRequest> body, ClaimsPrincipal user, AlertSilences silences, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: body.Status, title: "Invalid silence", detail: problem);
        }

        if (body.Value is not { } request)
        {
            return BadRequest("Invalid silence", "Send {\"matchers\": [\"domain=shop.example\"], \"endsAt\" or \"duration\", \"comment\"}.");
        }

        var now = time.GetUtcNow();
        var start = request.StartsAt ?? now;
        var longest = AlertInputLimits.MaxSilenceLength;
        if (start > now + longest)
        {
            return BadRequest("Invalid silence", $"startsAt: must be at most {longest.TotalDays:0} days ahead (was {start:o}).");
        }

        DateTimeOffset end;
        if (request.EndsAt is { } endsAt)
        {
            end = endsAt;
        }
        else if (request.Duration is { } duration && duration > TimeSpan.Zero)
        {
            // Checked before the sum: a start plus thousands of years is past the calendar's end.
            if (duration > longest)
            {
                return BadRequest("Invalid silence", $"duration: a silence lasts at most {longest.TotalDays:0} days (was {duration}).");
            }

            end = start + duration;
        }
        else
        {
            return BadRequest("Invalid silence", "endsAt or a positive duration (e.g. \"02:00:00\") is required.");
        }

        try
        {
            var silence = new SilenceRequest(request.Matchers ?? [], start, end, Actor(user), request.Comment ?? "", OnBehalfOf: request.CreatedBy);
            var row = await silences.CreateAsync(silence, cancellationToken);
            return TypedResults.Created($"/api/alerts/silences/{row.Id}", row.ToDto(time.GetUtcNow()));
        }
        catch (ArgumentException ex)
        {
            return BadRequest("Invalid silence", ex.Message);
        }
    }

    private static async Task<Results<Ok<SilenceDto>, ProblemHttpResult>> ExpireSilenceAsync(string id, AlertSilences silences, TimeProvider time, CancellationToken cancellationToken)
    {
        var row = await silences.ExpireAsync(id, cancellationToken);
        return row is null ? UnknownSilence(id) : TypedResults.Ok(row.ToDto(time.GetUtcNow()));
    }

    /// <summary>The signed-in user's name, or the API key's (<c>api-key:NAME</c>): every request here is authenticated.</summary>
    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name is { Length: > 0 } name ? name : "unknown";

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static ProblemHttpResult UnknownAlert(string fingerprint) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown alert", detail: $"No alert has the fingerprint '{fingerprint}'.");

    private static ProblemHttpResult UnknownSilence(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown silence", detail: $"No silence has the id '{id}'.");
}
