using Monitor.Core.Monitoring;

namespace Monitor.Core.Blacklists;

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

/// <summary>The zone set and targets <see cref="BlacklistOptions"/> describe, with every problem named by its key.</summary>
public static class BlacklistConfiguration
{
    /// <summary>The defaults changed by <see cref="BlacklistOptions.Zones"/>, in order (defaults first, then custom zones).</summary>
    /// <exception cref="FormatException">An entry is malformed (run <see cref="Validate"/> first for all problems at once).</exception>
    public static IReadOnlyList<BlacklistZone> Zones(BlacklistOptions options)
    {
        var problems = new List<string>();
        var zones = Resolve(options, problems);
        return problems.Count == 0 ? zones : throw new FormatException(string.Join("; ", problems));
    }

    /// <summary>
    /// Every IP and domain to check: each configured domain's name, return-path and DKIM signing domains and sending
    /// IPs, then <see cref="BlacklistOptions.Targets"/>; each once. Call on validated options.
    /// </summary>
    public static IReadOnlyList<BlacklistTarget> Targets(MonitorOptions monitor, BlacklistOptions options)
    {
        var texts = monitor.Domains.SelectMany(d => new[] { d.Name, d.ReturnPathDomain, d.DkimSigningDomain }.Concat(d.SendingIps))
            .Concat(options.Targets)
            .Where(t => !string.IsNullOrWhiteSpace(t));
        var targets = new List<BlacklistTarget>();
        foreach (var text in texts)
        {
            if (BlacklistTarget.TryParse(text!, out var target, out _) && !targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>Every problem of the section, each naming its key under <paramref name="prefix"/> (e.g. <c>Monitor:Blacklists</c>).</summary>
    public static IReadOnlyList<string> Validate(BlacklistOptions options, string prefix = BlacklistOptions.SectionName)
    {
        var problems = new List<string>();
        if (options.MaxConcurrency is < 1 or > 1024)
        {
            problems.Add($"{prefix}:MaxConcurrency: must be 1 to 1024 (was {options.MaxConcurrency})");
        }

        if (options.FirstRunDelay < TimeSpan.Zero)
        {
            problems.Add($"{prefix}:FirstRunDelay: must not be negative (was {options.FirstRunDelay})");
        }

        for (var i = 0; i < options.Targets.Count; i++)
        {
            if (!BlacklistTarget.TryParse(options.Targets[i] ?? "", out _, out var error))
            {
                problems.Add($"{prefix}:Targets:{i}: {error}");
            }
        }

        var cache = options.Cache;
        if (cache.NegativeTtl < TimeSpan.Zero || cache.NegativeTtl > TimeSpan.FromDays(1))
        {
            problems.Add($"{prefix}:Cache:NegativeTtl: must be 00:00:00 to 1.00:00:00 (was {cache.NegativeTtl})");
        }

        if (cache.MaxTtl < TimeSpan.Zero || cache.MaxTtl > TimeSpan.FromDays(7))
        {
            problems.Add($"{prefix}:Cache:MaxTtl: must be 00:00:00 to 7.00:00:00 (was {cache.MaxTtl})");
        }

        if (cache.MaxEntries is < 1 or > 10_000_000)
        {
            problems.Add($"{prefix}:Cache:MaxEntries: must be 1 to 10,000,000 (was {cache.MaxEntries})");
        }

        Resolve(options, problems, prefix);
        return problems;
    }

    private static List<BlacklistZone> Resolve(BlacklistOptions options, List<string> problems, string prefix = BlacklistOptions.SectionName)
    {
        var zones = BlacklistZones.Defaults.ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Zones.Count; i++)
        {
            var entry = options.Zones[i];
            var key = $"{prefix}:Zones:{i}";
            BlacklistZone zone;
            try
            {
                zone = BlacklistZoneSpec.Parse(entry.Zone ?? "");
            }
            catch (FormatException ex)
            {
                problems.Add($"{key}:Zone: {ex.Message}");
                continue;
            }

            if (!seen.TryAdd(zone.Name, i))
            {
                problems.Add($"{key}:Zone: '{zone.Name}' is already configured at {prefix}:Zones:{seen[zone.Name]}");
                continue;
            }

            zone = Customize(zone, entry, key, problems);
            var index = zones.FindIndex(z => z.Name == zone.Name);
            if (!entry.Enabled)
            {
                if (index >= 0)
                {
                    zones.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                zones[index] = zone;
            }
            else
            {
                zones.Add(zone);
            }
        }

        return zones;
    }

    private static BlacklistZone Customize(BlacklistZone zone, BlacklistZoneOptions entry, string key, List<string> problems)
    {
        var meanings = new List<BlacklistCode>();
        for (var j = 0; j < entry.Meanings.Count; j++)
        {
            try
            {
                meanings.Add(BlacklistZoneSpec.ParseMeaning(entry.Meanings[j] ?? ""));
            }
            catch (FormatException ex)
            {
                problems.Add($"{key}:Meanings:{j}: {ex.Message}");
            }
        }

        if (meanings.Count > 0 && zone.IsBitmask)
        {
            problems.Add($"{key}:Meanings: {zone.Name} is a bitmask list (its meanings are per bit); give its codes in {key}:Zone to read it by code instead");
        }

        if (entry.RateLimitPerSecond is { } rate && (double.IsNaN(rate) || rate is < 0.01 or > 10_000))
        {
            problems.Add($"{key}:RateLimitPerSecond: must be 0.01 to 10,000 (was {rate})");
        }

        if (entry.DailyCap is < 1)
        {
            problems.Add($"{key}:DailyCap: must be at least 1 (was {entry.DailyCap})");
        }

        if (entry.DelistUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            problems.Add($"{key}:DelistUrl: '{url}' is not an absolute URL");
        }

        return zone with
        {
            Codes = [.. meanings, .. zone.Codes],
            Title = string.IsNullOrWhiteSpace(entry.Title) ? zone.Title : entry.Title.Trim(),
            DelistUrl = string.IsNullOrWhiteSpace(entry.DelistUrl) ? zone.DelistUrl : entry.DelistUrl.Trim(),
            RateLimitPerSecond = entry.RateLimitPerSecond ?? zone.RateLimitPerSecond,
            DailyCap = entry.DailyCap ?? zone.DailyCap,
        };
    }
}
