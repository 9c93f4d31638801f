using Deliverability.Core.Configuration;
using Deliverability.Core.Monitoring;

namespace Deliverability.Core.Blacklists;

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
    public static IReadOnlyList<BlacklistTarget> Targets(MonitorOptions monitor, BlacklistOptions options) => Targets(monitor.Domains, options);

    /// <summary>As <see cref="Targets(MonitorOptions, BlacklistOptions)"/>, for any list of monitored domains (configured and added from the dashboard).</summary>
    public static IReadOnlyList<BlacklistTarget> Targets(IEnumerable<MonitoredDomain> domains, BlacklistOptions options)
    {
        var targets = new List<BlacklistTarget>();
        var seen = new HashSet<BlacklistTarget>();
        foreach (var target in domains.SelectMany(BlacklistTargets.Of))
        {
            if (seen.Add(target))
            {
                targets.Add(target);
            }
        }

        foreach (var text in options.Targets)
        {
            if (!string.IsNullOrWhiteSpace(text) && BlacklistTarget.TryParse(text, out var target, out _) && seen.Add(target))
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

        // Shown as a link on the Blacklists page and in notifications: only a web page may be linked.
        if (!string.IsNullOrWhiteSpace(entry.DelistUrl) && !HttpUrl.IsValid(entry.DelistUrl))
        {
            problems.Add($"{key}:DelistUrl: '{entry.DelistUrl}' is not an absolute http:// or https:// URL");
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
