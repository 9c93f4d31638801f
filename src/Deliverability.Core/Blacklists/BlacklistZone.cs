using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Blacklists;

/// <summary>What a zone lists: sending IP addresses (DNSBL) or domain names (RHSBL/URIBL).</summary>
public enum BlacklistZoneKind
{
    Ip,
    Domain,
}

/// <summary>One return code or an inclusive range of them (<c>127.0.0.4-127.0.0.7</c>) and what it means.</summary>
public sealed record BlacklistCode(IPAddress First, IPAddress Last, string Meaning)
{
    public static BlacklistCode Exact(string code, string meaning) => new(IPAddress.Parse(code), IPAddress.Parse(code), meaning);

    public static BlacklistCode Range(string first, string last, string meaning) => new(IPAddress.Parse(first), IPAddress.Parse(last), meaning);

    public bool Contains(IPAddress answer) =>
        answer.AddressFamily == AddressFamily.InterNetwork && ToNumber(First) <= ToNumber(answer) && ToNumber(answer) <= ToNumber(Last);

    internal static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}

/// <summary>One bit of the last octet of a bitmask zone's answer (SURBL, URIBL): <c>127.0.0.10</c> = bits 2 and 8.</summary>
public sealed record BlacklistBit(int Value, string Meaning);

/// <summary>How one A answer of a zone reads.</summary>
public enum BlacklistAnswerKind
{
    /// <summary>A listing code (RFC 5782: an address in 127.0.0.0/8 that is no refusal code).</summary>
    Listing,

    /// <summary>The zone refused to answer (blocked resolver, quota, misdirected query): never a listing.</summary>
    Refusal,

    /// <summary>An address outside 127.0.0.0/8: not a DNSBL answer at all (a hijacking resolver, a parked zone).</summary>
    Unexpected,
}

/// <summary>The reading of one answer address.</summary>
public sealed record BlacklistAnswer(IPAddress Code, BlacklistAnswerKind Kind, string Meaning);

/// <summary>
/// A DNS block list zone and the meaning of its return codes. Decoding order: anything outside 127.0.0.0/8 is
/// unexpected; 127.255.255.0/24 and the zone's own refusal codes are refusals; then bits (bitmask zones) or codes.
/// A 127.0.0.0/8 code the table does not know still reads as a listing (RFC 5782), with an "unknown code" meaning.
/// </summary>
public sealed record BlacklistZone
{
    /// <summary>Spamhaus, and by convention every list, answers 127.255.255.x when it refuses the query.</summary>
    private static readonly BlacklistCode UniversalRefusal =
        BlacklistCode.Range("127.255.255.0", "127.255.255.255", "the list refused the query (127.255.255.x): the resolver used is blocked or over quota");

    /// <summary>The zone to query under, lower case (<c>zen.spamhaus.org</c>).</summary>
    public required string Name { get; init; }

    public required BlacklistZoneKind Kind { get; init; }

    /// <summary>A human name (<c>Spamhaus ZEN</c>); the zone name when not set.</summary>
    public string? Title { get; init; }

    /// <summary>Where a listed party checks and requests removal.</summary>
    public string? DelistUrl { get; init; }

    /// <summary>Listing codes (exact or ranges), first match wins. Ignored for bitmask zones.</summary>
    public IReadOnlyList<BlacklistCode> Codes { get; init; } = [];

    /// <summary>Listing bits of the last octet; non-empty makes this a bitmask zone.</summary>
    public IReadOnlyList<BlacklistBit> Bits { get; init; } = [];

    /// <summary>Codes that mean "query refused" on top of 127.255.255.0/24.</summary>
    public IReadOnlyList<BlacklistCode> Refusals { get; init; } = [];

    /// <summary>Whether an IP zone answers IPv6 (nibble) queries; IPv6 targets are not asked of other zones.</summary>
    public bool SupportsIpv6 { get; init; }

    /// <summary>Queries per second this service may send to the zone (cache misses only; self-tests count).</summary>
    public double RateLimitPerSecond { get; init; } = BlacklistZones.DefaultRateLimitPerSecond;

    /// <summary>Queries per UTC day this service may send to the zone; past it, results are "capped", not verdicts.</summary>
    public int DailyCap { get; init; } = BlacklistZones.DefaultDailyCap;

    public bool IsBitmask => Bits.Count > 0;

    public string DisplayName => Title ?? Name;

    /// <summary>Whether the zone is asked about <paramref name="target"/> at all (kind and address family).</summary>
    public bool Covers(BlacklistTarget target) => target.Kind == Kind && (!target.IsIpv6 || SupportsIpv6);

    public BlacklistAnswer Decode(IPAddress answer)
    {
        if (answer.IsIPv4MappedToIPv6)
        {
            answer = answer.MapToIPv4();
        }

        if (answer.AddressFamily != AddressFamily.InterNetwork || answer.GetAddressBytes()[0] != 127)
        {
            return new BlacklistAnswer(answer, BlacklistAnswerKind.Unexpected, $"{answer} is not a block list answer (outside 127.0.0.0/8)");
        }

        var refusal = Refusals.FirstOrDefault(r => r.Contains(answer)) ?? (UniversalRefusal.Contains(answer) ? UniversalRefusal : null);
        if (refusal is not null)
        {
            return new BlacklistAnswer(answer, BlacklistAnswerKind.Refusal, refusal.Meaning);
        }

        return new BlacklistAnswer(answer, BlacklistAnswerKind.Listing, IsBitmask ? BitMeaning(answer) : CodeMeaning(answer));
    }

    private string CodeMeaning(IPAddress answer) =>
        Codes.FirstOrDefault(c => c.Contains(answer))?.Meaning ?? $"listed with code {answer} (meaning not known)";

    private string BitMeaning(IPAddress answer)
    {
        var lastOctet = answer.GetAddressBytes()[3];
        var meanings = Bits.Where(b => (lastOctet & b.Value) != 0).Select(b => b.Meaning).ToList();
        var unknown = lastOctet & ~Bits.Aggregate(0, (mask, b) => mask | b.Value);
        if (unknown != 0)
        {
            meanings.Add($"unknown bits {unknown}");
        }

        return meanings.Count == 0 ? $"listed with code {answer} (meaning not known)" : string.Join(", ", meanings);
    }
}
