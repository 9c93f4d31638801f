namespace Deliverability.Core.Blacklists;

/// <summary>
/// The default lists. Codes are the lists' published ones; SORBS is absent (closed in 2024).
/// A code not in a table still reads as a listing (RFC 5782); only refusal codes never do.
/// </summary>
public static class BlacklistZones
{
    /// <summary>Budget of a list that states no free-use limit (and of custom lists): polite, far under any public limit.</summary>
    public const double DefaultRateLimitPerSecond = 10;

    public const int DefaultDailyCap = 20_000;

    // Spamhaus's free use is about 100,000 queries a day per resolver over all its zones: half each for ZEN and DBL.
    private const int SpamhausDailyCapPerZone = 50_000;

    // Declared first: the zones below are initialized in textual order and read it.
    private static readonly BlacklistCode[] SpamhausRefusals =
    [
            BlacklistCode.Exact("127.255.255.252", "Spamhaus refused the query: typing error in the list name"),
            BlacklistCode.Exact("127.255.255.254", "Spamhaus refused the query: it came through a public or open resolver (use your own resolver or a Data Query Service key)"),
            BlacklistCode.Exact("127.255.255.255", "Spamhaus refused the query: the resolver sent too many queries (free-use limit exceeded)"),
    ];

    public static BlacklistZone SpamhausZen { get; } = new()
    {
        Name = "zen.spamhaus.org",
        Kind = BlacklistZoneKind.Ip,
        Title = "Spamhaus ZEN",
        DelistUrl = "https://check.spamhaus.org/",
        SupportsIpv6 = true,
        Codes =
        [
            BlacklistCode.Exact("127.0.0.2", "SBL: Spamhaus Block List (spam source)"),
            BlacklistCode.Exact("127.0.0.3", "CSS: Spamhaus snowshoe spam list"),
            BlacklistCode.Range("127.0.0.4", "127.0.0.7", "XBL: exploited or infected host (CBL)"),
            BlacklistCode.Exact("127.0.0.9", "DROP: hijacked or criminal network"),
            BlacklistCode.Exact("127.0.0.10", "PBL: end-user range that should not send mail directly (ISP maintained)"),
            BlacklistCode.Exact("127.0.0.11", "PBL: end-user range that should not send mail directly (Spamhaus maintained)"),
        ],
        Refusals = SpamhausRefusals,
        DailyCap = SpamhausDailyCapPerZone,
    };

    public static BlacklistZone SpamhausDbl { get; } = new()
    {
        Name = "dbl.spamhaus.org",
        Kind = BlacklistZoneKind.Domain,
        Title = "Spamhaus DBL",
        DelistUrl = "https://check.spamhaus.org/",
        Codes =
        [
            BlacklistCode.Exact("127.0.1.2", "DBL: spam domain"),
            BlacklistCode.Exact("127.0.1.4", "DBL: phishing domain"),
            BlacklistCode.Exact("127.0.1.5", "DBL: malware domain"),
            BlacklistCode.Exact("127.0.1.6", "DBL: botnet command and control domain"),
            BlacklistCode.Exact("127.0.1.102", "DBL: abused legitimate domain (spam)"),
            BlacklistCode.Exact("127.0.1.103", "DBL: abused legitimate spammed redirector domain"),
            BlacklistCode.Exact("127.0.1.104", "DBL: abused legitimate domain (phishing)"),
            BlacklistCode.Exact("127.0.1.105", "DBL: abused legitimate domain (malware)"),
            BlacklistCode.Exact("127.0.1.106", "DBL: abused legitimate domain (botnet command and control)"),
            BlacklistCode.Range("127.0.1.0", "127.0.1.254", "DBL: listed domain"),
        ],
        Refusals =
        [
            BlacklistCode.Exact("127.0.1.255", "Spamhaus DBL refused the query: an IP address was asked of a domain list"),
            .. SpamhausRefusals,
        ],
        DailyCap = SpamhausDailyCapPerZone,
    };

    public static BlacklistZone Barracuda { get; } = SingleCode("b.barracudacentral.org", "Barracuda", "https://www.barracudacentral.org/rbl/removal-request", "Barracuda Reputation Block List");

    public static BlacklistZone SpamCop { get; } = SingleCode("bl.spamcop.net", "SpamCop", "https://www.spamcop.net/bl.shtml", "SpamCop: reported spam source");

    public static BlacklistZone Uceprotect1 { get; } = SingleCode("dnsbl-1.uceprotect.net", "UCEPROTECT level 1", "https://www.uceprotect.net/en/rblcheck.php", "UCEPROTECT level 1: this IP sent to spam traps");

    public static BlacklistZone Psbl { get; } = SingleCode("psbl.surriel.com", "PSBL", "https://psbl.org/", "PSBL: passive spam trap hit");

    /// <summary>
    /// Mailspike's blacklist; 127.0.0.10-14 are its poor reputation levels (10 worst). The reputation zone
    /// rep.mailspike.net is not a default: its 127.0.0.15-20 answers mean neutral to good, which are no listings.
    /// </summary>
    public static BlacklistZone Mailspike { get; } = new()
    {
        Name = "bl.mailspike.net",
        Kind = BlacklistZoneKind.Ip,
        Title = "Mailspike",
        DelistUrl = "https://mailspike.org/",
        Codes =
        [
            BlacklistCode.Exact("127.0.0.2", "Mailspike: listed"),
            BlacklistCode.Exact("127.0.0.10", "Mailspike: worst reputation (L5)"),
            BlacklistCode.Exact("127.0.0.11", "Mailspike: very bad reputation (L4)"),
            BlacklistCode.Exact("127.0.0.12", "Mailspike: bad reputation (L3)"),
            BlacklistCode.Exact("127.0.0.13", "Mailspike: suspicious reputation (L2)"),
            BlacklistCode.Exact("127.0.0.14", "Mailspike: neutral to poor reputation (L1)"),
        ],
    };

    public static BlacklistZone Surbl { get; } = new()
    {
        Name = "multi.surbl.org",
        Kind = BlacklistZoneKind.Domain,
        Title = "SURBL",
        DelistUrl = "https://www.surbl.org/surbl-analysis",
        Bits =
        [
            new BlacklistBit(8, "SURBL PH: phishing"),
            new BlacklistBit(16, "SURBL MW: malware"),
            new BlacklistBit(64, "SURBL ABUSE: spam and abuse"),
            new BlacklistBit(128, "SURBL CR: cracked site"),
        ],
        // Bit 1 is no list: SURBL answers 127.0.0.1 to resolvers it blocks.
        Refusals = [BlacklistCode.Exact("127.0.0.1", "SURBL refused the query (127.0.0.1): the resolver used, often a public one, is blocked")],
        // Free use is for small sites only (low volumes); stay well under it.
        RateLimitPerSecond = 2,
        DailyCap = 5_000,
    };

    public static BlacklistZone Uribl { get; } = new()
    {
        Name = "multi.uribl.com",
        Kind = BlacklistZoneKind.Domain,
        Title = "URIBL",
        DelistUrl = "https://admin.uribl.com/",
        Bits =
        [
            new BlacklistBit(2, "URIBL black"),
            new BlacklistBit(4, "URIBL grey"),
            new BlacklistBit(8, "URIBL red"),
        ],
        Refusals = [BlacklistCode.Exact("127.0.0.1", "URIBL refused the query (127.0.0.1): the resolver used, often a public one, is blocked or over its free-use limit")],
        // URIBL blocks resolvers that send more than a small free volume a day; stay well under it.
        RateLimitPerSecond = 2,
        DailyCap = 1_000,
    };

    /// <summary>The default set, in report order.</summary>
    public static IReadOnlyList<BlacklistZone> Defaults { get; } =
        [SpamhausZen, SpamhausDbl, Barracuda, SpamCop, Uceprotect1, Psbl, Mailspike, Surbl, Uribl];

    /// <summary>A default zone by its DNS name (case-insensitive, trailing dot allowed), or null.</summary>
    public static BlacklistZone? Find(string name)
    {
        var normalized = name.Trim().TrimEnd('.').ToLowerInvariant();
        return Defaults.FirstOrDefault(z => z.Name == normalized);
    }

    private static BlacklistZone SingleCode(string name, string title, string delistUrl, string meaning) => new()
    {
        Name = name,
        Kind = BlacklistZoneKind.Ip,
        Title = title,
        DelistUrl = delistUrl,
        Codes = [BlacklistCode.Exact("127.0.0.2", meaning)],
    };
}
