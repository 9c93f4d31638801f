using Deliverability.Core.Blacklists;

namespace Deliverability.Server.Blacklists;

/// <summary>
/// One target on one zone. <see cref="Status"/> is what the latest check said (<c>listed</c>, <c>not_listed</c>,
/// <c>refused</c>, <c>error</c>; null before the first check); <see cref="State"/> is the last definitive verdict
/// (<c>listed</c> or <c>not_listed</c>), which events follow and which refusals, errors and capped checks never change.
/// </summary>
public sealed record BlacklistResultDto(
    string Zone,
    string? Status,
    string? State,
    DateTimeOffset? ListedSince,
    IReadOnlyList<string> Codes,
    string? Meaning,
    string? Reason,
    string? DelistUrl,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? VerdictAt,
    bool Capped,
    bool Untrusted,
    string? Message)
{
    public static BlacklistResultDto From(BlacklistZone zone, BlacklistStateRow? row)
    {
        if (row is null)
        {
            return new BlacklistResultDto(zone.Name, null, null, null, [], null, null, null, null, null, false, false, "not checked yet");
        }

        var listed = row.State == BlacklistEventRow.Listed;
        return new BlacklistResultDto(
            zone.Name,
            row.LastStatus,
            row.State,
            listed ? row.StateSince : null,
            listed ? BlacklistStore.SplitCodes(row.Codes) : [],
            row.Meaning,
            row.ReasonText,
            listed ? zone.DelistUrl : null,
            row.CheckedAt,
            row.VerdictAt,
            row.LastCapped,
            row.LastUntrusted,
            row.LastMessage);
    }
}

/// <summary>One watched IP or domain with its result on each zone that covers it.</summary>
public sealed record BlacklistTargetDto(string Target, string Kind, int ListedOn, IReadOnlyList<BlacklistResultDto> Results);

/// <summary>
/// A zone of the set: its latest self-test since start (<c>healthy</c>, <c>unhealthy</c>, <c>refused</c>,
/// <c>unreachable</c>, <c>capped</c>, or <c>unknown</c> before it was asked), its budget and today's use of it.
/// </summary>
public sealed record BlacklistZoneDto(
    string Zone,
    string Title,
    string Kind,
    string Health,
    string? HealthReason,
    double RateLimitPerSecond,
    int DailyCap,
    int QueriesToday,
    int Listed);

/// <summary>Counts over every target and zone.</summary>
public sealed record BlacklistSummaryDto(int Targets, int Zones, int ListedTargets, int Listings, int NoVerdict, int UnhealthyZones);

public sealed record BlacklistOverviewDto(BlacklistSummaryDto Summary, IReadOnlyList<BlacklistZoneDto> Zones, IReadOnlyList<BlacklistTargetDto> Targets);

/// <summary>A listing began (<c>listed</c>) or ended (<c>delisted</c>, with how long it lasted).</summary>
public sealed record BlacklistEventDto(
    long Id,
    string Target,
    string Zone,
    string Kind,
    DateTimeOffset At,
    DateTimeOffset ListedSince,
    double? DurationSeconds,
    IReadOnlyList<string> Codes,
    string? Meaning)
{
    public static BlacklistEventDto From(BlacklistEventRow row) =>
        new(row.Id, row.Target, row.Zone, row.Kind, row.At, row.ListedSince, row.DurationSeconds, BlacklistStore.SplitCodes(row.Codes), row.Meaning);
}
