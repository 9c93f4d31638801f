using System.Globalization;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Rollups;

namespace Deliverability.Server.SendEvents.Sending;

/// <summary>
/// <c>/api/sending</c> (Viewer): the figures of the Sending page from the rollups: a summary per stream and mailbox
/// provider over a window, a series per minute or hour, the throttling codes seen, and the events of one minute
/// (recipients as their hash only). Windows are written <c>15m</c>, <c>1h</c>, <c>1d</c> (at most 31 days) and end at
/// <c>to</c> (default now).
/// </summary>
public static class SendingApi
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);
    public const int MaxPoints = 5000;
    public const int DefaultEventLimit = 100;
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapSendingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sending").WithTags("Sending");
        group.MapGet("/summary", SummaryAsync);
        group.MapGet("/series", SeriesAsync);
        group.MapGet("/throttling", ThrottlingAsync);
        group.MapGet("/events", EventsAsync);
        return app;
    }

    private static async Task<IResult> SummaryAsync(
        string? window, string? to, string? stream, string? mailboxProvider, string? provider, string? sendingDomain, SendingBoard board, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Window(window, to, time, out var from, out var end) is { } bad)
        {
            return bad;
        }

        if (Filter(stream, mailboxProvider, provider, sendingDomain, out var filter) is { } badFilter)
        {
            return badFilter;
        }

        return TypedResults.Ok(await board.SummaryAsync(from, end, filter, cancellationToken));
    }

    private static async Task<IResult> SeriesAsync(
        string? window, string? to, string? step, string? stream, string? mailboxProvider, string? provider, string? sendingDomain, SendingBoard board, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Window(window, to, time, out var from, out var end) is { } bad)
        {
            return bad;
        }

        if (Filter(stream, mailboxProvider, provider, sendingDomain, out var filter) is { } badFilter)
        {
            return badFilter;
        }

        var minutes = (end - from).TotalMinutes;
        var stepMinutes = minutes <= 180 ? 1 : 60;
        if (!string.IsNullOrWhiteSpace(step))
        {
            if (ParseWindow(step) is not { } parsed || parsed.TotalMinutes is < 1 or > 1440 || parsed.TotalMinutes % 1 != 0)
            {
                return BadRequest($"step: whole minutes from 1m to 1d, e.g. 1m or 1h (was '{Shown(step)}')");
            }

            stepMinutes = (int)parsed.TotalMinutes;
        }

        if (minutes / stepMinutes > MaxPoints)
        {
            return BadRequest($"step: at most {MaxPoints} points a series; a longer step is needed for this window (was {stepMinutes} minutes)");
        }

        return TypedResults.Ok(await board.SeriesAsync(from, end, stepMinutes, filter, cancellationToken));
    }

    private static async Task<IResult> ThrottlingAsync(string? window, string? to, SendingBoard board, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Window(window, to, time, out var from, out var end) is { } bad)
        {
            return bad;
        }

        return TypedResults.Ok(await board.ThrottlingAsync(from, end, cancellationToken));
    }

    private static async Task<IResult> EventsAsync(
        string? minute, string? kind, int? limit, string? stream, string? mailboxProvider, string? provider, string? sendingDomain, SendingBoard board, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(minute) || !DateTimeOffset.TryParse(minute, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return BadRequest($"minute: an ISO 8601 time, e.g. 2026-11-27T14:05:00Z (was '{Shown(minute)}')");
        }

        if (Filter(stream, mailboxProvider, provider, sendingDomain, out var filter) is { } badFilter)
        {
            return badFilter;
        }

        var count = limit ?? DefaultEventLimit;
        if (count is < 1 or > SendRollupReader.MaxEvents)
        {
            return BadRequest($"limit: 1 to {SendRollupReader.MaxEvents} (was {count})");
        }

        List<SendEventKind>? kinds = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            kinds = [];
            foreach (var word in kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20))
            {
                if (!Enum.TryParse<SendEventKind>(word, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(word, out _))
                {
                    return BadRequest($"kind: one or more of {string.Join(", ", Enum.GetNames<SendEventKind>())}, comma-separated (was '{Shown(word)}')");
                }

                kinds.Add(parsed);
            }
        }

        return TypedResults.Ok(await board.EventsAsync(at, filter, kinds, count, cancellationToken));
    }

    private static IResult? Window(string? window, string? to, TimeProvider time, out DateTimeOffset from, out DateTimeOffset end)
    {
        from = end = default;
        var length = TimeSpan.FromHours(1);
        if (!string.IsNullOrWhiteSpace(window))
        {
            if (ParseWindow(window) is not { } parsed || parsed < TimeSpan.FromMinutes(1) || parsed > MaxWindow)
            {
                return BadRequest($"window: from 1m to 31d, e.g. 15m, 1h or 1d (was '{Shown(window)}')");
            }

            length = parsed;
        }

        var now = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out now))
            {
                return BadRequest($"to: an ISO 8601 time, e.g. 2026-11-27T15:00:00Z (was '{Shown(to)}')");
            }
        }

        (from, end) = SendMinute.Window(now, length);
        return null;
    }

    private static IResult? Filter(string? stream, string? mailboxProvider, string? provider, string? sendingDomain, out SendFilter filter)
    {
        filter = new SendFilter(Clean(stream), Clean(mailboxProvider), Clean(provider), Clean(sendingDomain));
        foreach (var (name, value) in new[] { ("stream", stream), ("mailboxProvider", mailboxProvider), ("provider", provider), ("sendingDomain", sendingDomain) })
        {
            if (value is { Length: > MaxNameLength })
            {
                return BadRequest($"{name}: at most {MaxNameLength} characters");
            }
        }

        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary><c>15m</c>, <c>2h</c>, <c>1d</c> (or a <c>hh:mm:ss</c> time span); null when it is neither.</summary>
    internal static TimeSpan? ParseWindow(string text)
    {
        var value = text.Trim();
        if (value.Length is >= 2 and <= 8 && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return char.ToLowerInvariant(value[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
        }

        return value.Length <= 20 && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    private static string Shown(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "...";

    private static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid sending query", detail: detail);
}
