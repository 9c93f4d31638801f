namespace Deliverability.Core.Placement;

/// <summary>Where a seed's test message landed, or why it is not known.</summary>
public enum SeedPlacementStatus
{
    /// <summary>In the inbox.</summary>
    Inbox,

    /// <summary>In the spam (junk) folder.</summary>
    Spam,

    /// <summary>In another folder (a tab, Promotions, a rule's folder): <see cref="SeedPlacement.Folder"/> names it.</summary>
    Other,

    /// <summary>Sent, but not found in any folder before the timeout: dropped, rejected after acceptance, or very late.</summary>
    Missing,

    /// <summary>Not measured: the message could not be sent, or the mailbox could not be read (credentials, network, TLS).</summary>
    Error,
}

public static class SeedPlacementStatusWords
{
    public static string Word(this SeedPlacementStatus status) => status switch
    {
        SeedPlacementStatus.Inbox => "inbox",
        SeedPlacementStatus.Spam => "spam",
        SeedPlacementStatus.Other => "other",
        SeedPlacementStatus.Missing => "missing",
        _ => "error",
    };

    public static SeedPlacementStatus Parse(string word) => word switch
    {
        "inbox" => SeedPlacementStatus.Inbox,
        "spam" => SeedPlacementStatus.Spam,
        "other" => SeedPlacementStatus.Other,
        "missing" => SeedPlacementStatus.Missing,
        "error" => SeedPlacementStatus.Error,
        _ => throw new FormatException($"'{word}' is not a placement (inbox, spam, other, missing, error)"),
    };
}

/// <summary>One seed's result in a run.</summary>
/// <param name="ArrivedAt">When the receiving server filed the message (its IMAP INTERNALDATE).</param>
/// <param name="AuthenticationResults">The receiver's <c>Authentication-Results</c> header values, topmost first.</param>
/// <param name="Error">Why the seed was not measured (only with <see cref="SeedPlacementStatus.Error"/>).</param>
public sealed record SeedPlacement(
    string Provider,
    string Address,
    SeedPlacementStatus Status,
    string? Folder,
    DateTimeOffset? SentAt,
    DateTimeOffset? ArrivedAt,
    ReceiverAuthentication Authentication,
    IReadOnlyList<string> AuthenticationResults,
    string? Error)
{
    /// <summary>From the end of the SMTP submission to the receiver's filing; never negative (clocks and second-granular dates).</summary>
    public TimeSpan? DeliveryTime => SentAt is { } sent && ArrivedAt is { } arrived ? (arrived > sent ? arrived - sent : TimeSpan.Zero) : null;
}

/// <summary>Counts and rates of a set of seeds. Rates are over the measured seeds (errors excluded); null when none was measured.</summary>
public sealed record PlacementRates(int Seeds, int Inbox, int Spam, int Other, int Missing, int Errors)
{
    public int Measured => Seeds - Errors;

    public double? InboxRate => Rate(Inbox);

    public double? SpamRate => Rate(Spam);

    public double? OtherRate => Rate(Other);

    public double? MissingRate => Rate(Missing);

    public static PlacementRates Of(IEnumerable<SeedPlacement> seeds)
    {
        var list = seeds.ToList();
        return new PlacementRates(
            list.Count,
            list.Count(s => s.Status == SeedPlacementStatus.Inbox),
            list.Count(s => s.Status == SeedPlacementStatus.Spam),
            list.Count(s => s.Status == SeedPlacementStatus.Other),
            list.Count(s => s.Status == SeedPlacementStatus.Missing),
            list.Count(s => s.Status == SeedPlacementStatus.Error));
    }

    private double? Rate(int count) => Measured == 0 ? null : (double)count / Measured;
}

public sealed record ProviderPlacement(string Provider, PlacementRates Rates);

/// <summary>A finished run: one result per seed, in the order the seeds are configured.</summary>
public sealed record PlacementRunReport(Guid Id, string SendPath, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IReadOnlyList<SeedPlacement> Seeds)
{
    public PlacementRates Overall => PlacementRates.Of(Seeds);

    public IReadOnlyList<ProviderPlacement> Providers =>
        [.. Seeds.GroupBy(s => s.Provider, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase).Select(g => new ProviderPlacement(g.First().Provider, PlacementRates.Of(g)))];
}

/// <summary>The change of inbox rate against the previous run (in rate units: 0.1 is ten points); null when either is unknown.</summary>
public sealed record PlacementDelta(string? Provider, double? InboxRate, double? PreviousInboxRate)
{
    public double? InboxRateChange => InboxRate is { } now && PreviousInboxRate is { } before ? now - before : null;

    /// <summary>Overall (null provider) first, then each provider of either run.</summary>
    public static IReadOnlyList<PlacementDelta> Between(PlacementRunReport current, PlacementRunReport? previous)
    {
        var deltas = new List<PlacementDelta> { new(null, current.Overall.InboxRate, previous?.Overall.InboxRate) };
        var before = previous?.Providers.ToDictionary(p => p.Provider, StringComparer.OrdinalIgnoreCase) ?? [];
        var providers = current.Providers.Select(p => p.Provider).Concat(before.Keys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            var now = current.Providers.FirstOrDefault(p => string.Equals(p.Provider, provider, StringComparison.OrdinalIgnoreCase));
            deltas.Add(new PlacementDelta(provider, now?.Rates.InboxRate, before.GetValueOrDefault(provider)?.Rates.InboxRate));
        }

        return deltas;
    }
}
