using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Blacklists;

/// <summary>
/// A zone as a user writes it in configuration or on the command line: a default list by name
/// (<c>zen.spamhaus.org</c>), a custom list with its listing codes (<c>my.list.example=127.0.0.2,127.0.0.4-127.0.0.7</c>),
/// and a custom domain list with the <c>domain:</c> prefix (<c>domain:rhs.example=127.0.0.2</c>; <c>ip:</c> is the default).
/// Codes given for a default list replace its codes and keep the rest (title, refusal codes, delisting link, budget).
/// </summary>
public static class BlacklistZoneSpec
{
    private const string DomainPrefix = "domain:";
    private const string IpPrefix = "ip:";

    /// <summary>Parses one spec; a custom zone without a prefix gets <paramref name="customKind"/> (IP list unless told otherwise).</summary>
    /// <exception cref="FormatException">The spec is malformed or names an unknown zone without codes; the message names the value.</exception>
    public static BlacklistZone Parse(string spec, BlacklistZoneKind customKind = BlacklistZoneKind.Ip)
    {
        var text = spec.Trim();
        BlacklistZoneKind? prefixKind = null;
        if (text.StartsWith(DomainPrefix, StringComparison.OrdinalIgnoreCase))
        {
            (prefixKind, text) = (BlacklistZoneKind.Domain, text[DomainPrefix.Length..]);
        }
        else if (text.StartsWith(IpPrefix, StringComparison.OrdinalIgnoreCase))
        {
            (prefixKind, text) = (BlacklistZoneKind.Ip, text[IpPrefix.Length..]);
        }

        var equals = text.IndexOf('=');
        var nameText = (equals < 0 ? text : text[..equals]).Trim();
        if (!DomainName.TryParse(nameText, out var zoneName, out _))
        {
            throw new FormatException($"zone '{spec}': '{nameText}' is not a valid zone name");
        }

        var name = zoneName.Ascii;

        var known = BlacklistZones.Find(name);
        if (known is not null && prefixKind is not null && prefixKind != known.Kind)
        {
            throw new FormatException($"zone '{spec}': {name} is a default {KindWord(known.Kind)} list, not a {KindWord(prefixKind.Value)} list");
        }

        if (equals < 0)
        {
            return known ?? throw new FormatException($"zone '{spec}' is not a default list; give its listing codes, e.g. '{name}=127.0.0.2' (or 'domain:{name}=127.0.0.2' for a domain list)");
        }

        var codes = new List<BlacklistCode>();
        foreach (var item in text[(equals + 1)..].Split(','))
        {
            codes.Add(ParseCode(spec, item.Trim()));
        }

        return known is not null
            ? known with { Codes = codes, Bits = [] }
            : new BlacklistZone { Name = name, Kind = prefixKind ?? customKind, Codes = codes, SupportsIpv6 = true };
    }

    /// <summary>
    /// Parses a meaning entry <c>127.0.0.2=our meaning</c> or <c>127.0.0.4-127.0.0.7=our meaning</c> of configuration,
    /// which takes precedence over the zone's own meaning of those codes.
    /// </summary>
    /// <exception cref="FormatException">The entry is malformed; the message names it.</exception>
    public static BlacklistCode ParseMeaning(string entry)
    {
        var equals = entry.IndexOf('=');
        if (equals < 0 || entry[(equals + 1)..].Trim().Length == 0)
        {
            throw new FormatException($"meaning '{entry}' is not 'code=meaning' (e.g. '127.0.0.2=listed as a spam source')");
        }

        var code = ParseCode(entry, entry[..equals].Trim());
        return code with { Meaning = entry[(equals + 1)..].Trim() };
    }

    private static string KindWord(BlacklistZoneKind kind) => kind == BlacklistZoneKind.Domain ? "domain" : "IP";

    private static BlacklistCode ParseCode(string spec, string item)
    {
        var dash = item.IndexOf('-');
        var first = dash < 0 ? item : item[..dash].Trim();
        var last = dash < 0 ? item : item[(dash + 1)..].Trim();
        if (!IsLoopbackCode(first, out var from) || !IsLoopbackCode(last, out var to))
        {
            throw new FormatException($"'{spec}': '{item}' is not a return code in 127.0.0.0/8 (e.g. 127.0.0.2 or 127.0.0.4-127.0.0.7)");
        }

        // 127.255.255.0/24 is a refusal on every zone; a spec that calls it a listing would be silently ignored.
        if (from.GetAddressBytes()[1..3] is [255, 255] || to.GetAddressBytes()[1..3] is [255, 255])
        {
            throw new FormatException($"'{spec}': '{item}' is in 127.255.255.0/24, which means 'query refused', never 'listed'");
        }

        if (BlacklistCode.ToNumber(from) > BlacklistCode.ToNumber(to))
        {
            throw new FormatException($"'{spec}': the range '{item}' ends before it starts");
        }

        var meaning = dash < 0 ? $"listed ({item})" : $"listed ({first}-{last})";
        return new BlacklistCode(from, to, meaning);
    }

    private static bool IsLoopbackCode(string text, out IPAddress address)
    {
        address = IPAddress.None;
        return !text.Contains(':')
            && IpAddressText.TryParse(text, out address!)
            && address.GetAddressBytes()[0] == 127;
    }
}
