namespace Deliverability.Core.Blacklists;

/// <summary>What the scheduled blacklist check asks, how often and how politely. Bound from <c>Monitor:Blacklists</c>.</summary>
public sealed class BlacklistOptions
{
    public const string SectionName = "Monitor:Blacklists";

    /// <summary>An interval (<c>00:30:00</c>) or a Quartz cron expression with seconds, as <c>Monitor:Audit:Schedule</c>. Default every 30 minutes.</summary>
    public string Schedule { get; set; } = "00:30:00";

    /// <summary>How long after start the first check runs.</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>DNS queries in flight at once, across all zones.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// IPs and domains to watch besides every configured domain's name, return-path and DKIM signing domains and
    /// sending IPs (<c>Monitor:Domains</c>).
    /// </summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>Changes to the default zone set: disable a default, override its codes, meanings or budget, add custom zones.</summary>
    public List<BlacklistZoneOptions> Zones { get; set; } = [];

    public BlacklistCacheOptions Cache { get; set; } = new();
}

/// <summary>One entry of <c>Monitor:Blacklists:Zones</c>.</summary>
public sealed class BlacklistZoneOptions
{
    /// <summary>
    /// The zone in the CLI's <c>--zone</c> syntax: a default by name (<c>zen.spamhaus.org</c>), a default with its codes
    /// replaced (<c>zen.spamhaus.org=127.0.0.2-127.0.0.7</c>), a custom IP list (<c>bl.example=127.0.0.2</c>) or a
    /// custom domain list (<c>domain:rhs.example=127.0.0.2</c>).
    /// </summary>
    public string Zone { get; set; } = "";

    /// <summary>False removes the zone (a default one) from the set.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Meanings of codes, <c>127.0.0.2=our meaning</c> or <c>127.0.0.4-127.0.0.7=...</c>; they win over the zone's own.</summary>
    public List<string> Meanings { get; set; } = [];

    /// <summary>A human name shown in messages and the API; the zone's own or its DNS name when not set.</summary>
    public string? Title { get; set; }

    /// <summary>Where to request removal from a custom list.</summary>
    public string? DelistUrl { get; set; }

    /// <summary>Queries per second to this zone; the zone's default when not set (10, SURBL and URIBL 2).</summary>
    public double? RateLimitPerSecond { get; set; }

    /// <summary>Queries per UTC day to this zone; the zone's default when not set (20,000; Spamhaus 50,000 each, SURBL 5,000, URIBL 1,000).</summary>
    public int? DailyCap { get; set; }
}

/// <summary>How long answers (and the self-tests built on them) are reused instead of asked again.</summary>
public sealed class BlacklistCacheOptions
{
    /// <summary>Reuse answers for their DNS TTL. Off asks every time (still within the budgets).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long "not listed" (NXDOMAIN or no address) is reused: such answers carry no TTL of their own here.</summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a listing answer is reused, whatever its TTL says.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Answers kept at most; expired ones go first.</summary>
    public int MaxEntries { get; set; } = 100_000;
}
