namespace Deliverability.Contracts.Alerts;

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
    string? MutedBy);

/// <summary>One change of an alert; <c>from</c> equals <c>to</c> for an acknowledgement or a change of muting (see <c>note</c>).</summary>
public sealed record AlertChangeDto(string? From, string To, DateTimeOffset At, string? Note);

public sealed record AlertDetailDto(AlertDto Alert, IReadOnlyList<AlertChangeDto> History);

/// <summary>An acknowledgement. Who acknowledges is the signed-in user or the API key; <c>by</c>, when it names someone else, is kept as a note (<c>on behalf of</c>).</summary>
public sealed record AcknowledgeRequest(string? By);

/// <summary>
/// A new silence: <c>endsAt</c> or <c>duration</c> (<c>02:00:00</c>); <c>startsAt</c> defaults to now. Its author is the
/// signed-in user or the API key; <c>createdBy</c>, when it names someone else, is kept in the comment as a note.
/// </summary>
public sealed record CreateSilenceRequest(IReadOnlyList<string>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, TimeSpan? Duration, string? CreatedBy, string? Comment);

/// <summary>A silence; <c>status</c>: pending (starts later), active, expired.</summary>
/// <param name="Problem">Why a stored silence is not applied (its matchers break today's rules: stored by an earlier release); null when it is.</param>
public sealed record SilenceDto(string Id, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment, DateTimeOffset CreatedAt, string Status, string? Problem = null);
