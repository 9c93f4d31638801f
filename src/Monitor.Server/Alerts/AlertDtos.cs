using Monitor.Core.Alerts;

namespace Monitor.Server.Alerts;

/// <summary>One alert. <c>state</c>: pending (condition holds, not yet for its <c>for</c>), firing, resolved.</summary>
/// <param name="MutedBy"><c>silence:ID</c>, <c>maintenance:NAME</c> or <c>inhibited</c> while not notified; null otherwise.</param>
public sealed record AlertDto(
    string Fingerprint,
    string AlertName,
    string State,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset ActiveSince,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset UpdatedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? MutedBy)
{
    public static AlertDto From(AlertRow row) => new(
        row.Fingerprint,
        row.AlertName,
        Name(row.State),
        row.Severity,
        AlertJson.Map(row.LabelsJson),
        AlertJson.Map(row.AnnotationsJson),
        row.ActiveSince,
        row.StartsAt,
        row.EndsAt,
        row.UpdatedAt,
        row.AcknowledgedBy,
        row.AcknowledgedAt,
        row.MutedBy);

    public static string Name(AlertState state) => state.ToString().ToLowerInvariant();
}

/// <summary>One change of an alert; <c>from</c> equals <c>to</c> for an acknowledgement or a change of muting (see <c>note</c>).</summary>
public sealed record AlertChangeDto(string? From, string To, DateTimeOffset At, string? Note)
{
    public static AlertChangeDto Of(AlertHistoryRow row) =>
        new(row.FromState is { } from ? AlertDto.Name(from) : null, AlertDto.Name(row.ToState), row.At, row.Note);
}

public sealed record AlertDetailDto(AlertDto Alert, IReadOnlyList<AlertChangeDto> History);

/// <summary>Who acknowledges.</summary>
public sealed record AcknowledgeRequest(string? By);

/// <summary>A new silence: <c>endsAt</c> or <c>duration</c> (<c>02:00:00</c>); <c>startsAt</c> defaults to now.</summary>
public sealed record CreateSilenceRequest(IReadOnlyList<string>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, TimeSpan? Duration, string? CreatedBy, string? Comment);

/// <summary>A silence; <c>status</c>: pending (starts later), active, expired.</summary>
public sealed record SilenceDto(string Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment, DateTimeOffset CreatedAt, string Status)
{
    public static SilenceDto From(SilenceRow row, DateTimeOffset now) => new(
        row.Id,
        AlertJson.List(row.MatchersJson),
        row.StartsAt,
        row.EndsAt,
        row.CreatedBy,
        row.Comment,
        row.CreatedAt,
        row.EndsAt <= now ? "expired" : row.StartsAt > now ? "pending" : "active");
}
