using System.Net;

namespace Deliverability.Core.Blacklists;

/// <summary>The one status each (target, zone) answer is decoded into.</summary>
public enum BlacklistStatus
{
    /// <summary>The zone lists the target; <see cref="BlacklistVerdict.Codes"/> and <see cref="BlacklistVerdict.Meaning"/> say why.</summary>
    Listed,

    /// <summary>NXDOMAIN (or no A record): the zone does not list the target.</summary>
    NotListed,

    /// <summary>The zone refused the query (a refusal code or REFUSED). Never a listing: the resolver is likely blocked.</summary>
    Refused,

    /// <summary>No verdict: timeout, SERVFAIL, an answer outside 127.0.0.0/8, or a zone whose self-test failed.</summary>
    Error,
}

/// <summary>
/// What one zone says about one target. When the zone failed its RFC 5782 self-test, a "listed" or "not listed"
/// answer is reported as <see cref="BlacklistStatus.Error"/> with <see cref="Untrusted"/> set and the self-test's reason
/// in <see cref="Message"/>; the raw codes stay in <see cref="Codes"/> for diagnosis.
/// </summary>
public sealed record BlacklistVerdict(BlacklistTarget Target, BlacklistZone Zone, BlacklistStatus Status, IReadOnlyList<IPAddress> Codes, string Message)
{
    /// <summary>What the codes mean (listings, or why the query was refused).</summary>
    public string? Meaning { get; init; }

    /// <summary>The list's own reason (its TXT record) when listed and the zone published one.</summary>
    public string? ReasonText { get; init; }

    /// <summary>True when the answer came from a zone that failed its self-test (the status is then <see cref="BlacklistStatus.Error"/>).</summary>
    public bool Untrusted { get; init; }

    /// <summary>True when the zone's daily query cap was reached: the zone was not asked (the status is then <see cref="BlacklistStatus.Error"/>).</summary>
    public bool Capped { get; init; }

    /// <summary>A listed or not-listed answer from a zone that passed its self-test: the only verdicts that move stored state.</summary>
    public bool IsDefinitive => Status is BlacklistStatus.Listed or BlacklistStatus.NotListed;

    /// <summary>Where to request removal; set only for a listing.</summary>
    public string? DelistUrl => Status == BlacklistStatus.Listed ? Zone.DelistUrl : null;

    /// <summary>The status as written in JSON and the CLI: <c>listed</c>, <c>not_listed</c>, <c>refused</c>, <c>error</c>.</summary>
    public string StatusWord => Status switch
    {
        BlacklistStatus.Listed => "listed",
        BlacklistStatus.NotListed => "not_listed",
        BlacklistStatus.Refused => "refused",
        _ => "error",
    };
}

/// <summary>Every verdict of one check run plus the self-test health of each zone asked.</summary>
public sealed record BlacklistReport(IReadOnlyList<BlacklistVerdict> Verdicts, IReadOnlyList<BlacklistZoneHealth> Zones);
