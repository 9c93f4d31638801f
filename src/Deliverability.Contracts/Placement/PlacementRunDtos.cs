namespace Deliverability.Contracts.Placement;

// The JSON shape of a run, shared by the API (/api/placement/runs) and the CLI (monitor placement run --json), so both
// say the same with the same names.

/// <summary>Counts and rates (0 to 1, over the measured seeds: errors excluded; null when none was measured).</summary>
public sealed record PlacementRatesDto(int Seeds, int Inbox, int Spam, int Other, int Missing, int Errors, double? InboxRate, double? SpamRate, double? OtherRate, double? MissingRate);

/// <summary>A provider's rates, with its inbox rate in the previous run and the change since (null when unknown).</summary>
public sealed record ProviderPlacementDto(string Provider, PlacementRatesDto Rates, double? PreviousInboxRate, double? InboxRateChange);

/// <param name="Placement">inbox, spam, other, missing or error.</param>
/// <param name="DeliverySeconds">From the end of the submission to the receiver's filing.</param>
public sealed record SeedPlacementDto(
    string Provider,
    string Address,
    string Placement,
    string? Folder,
    DateTimeOffset? SentAt,
    DateTimeOffset? ArrivedAt,
    double? DeliverySeconds,
    string? Spf,
    string? Dkim,
    string? Dmarc,
    IReadOnlyList<string> AuthenticationResults,
    string? Error);

/// <summary>
/// One run in full: overall and per-provider rates compared with the previous run (null when there is none, as for the
/// CLI, which does not store runs), and every seed.
/// </summary>
public sealed record PlacementRunDto(
    Guid Id,
    string SendPath,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    PlacementRatesDto Overall,
    Guid? PreviousRunId,
    double? PreviousInboxRate,
    double? InboxRateChange,
    IReadOnlyList<ProviderPlacementDto> Providers,
    IReadOnlyList<SeedPlacementDto> Seeds);
