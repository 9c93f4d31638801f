using System.Net;
using System.Net.Sockets;
using Monitor.Core.Dns;

namespace Monitor.Core.Blacklists;

/// <summary>
/// A zone as a user writes it in configuration or on the command line: a default list by name
/// (<c>zen.spamhaus.org</c>) or a custom list with its listing codes (<c>my.list.example=127.0.0.2,127.0.0.4-127.0.0.7</c>).
/// </summary>
public static class BlacklistZoneSpec
{
    /// <summary>Parses one spec; a custom zone gets <paramref name="customKind"/> (IP list unless told otherwise).</summary>
    /// <exception cref="FormatException">The spec is malformed or names an unknown zone without codes; the message names the value.</exception>
    public static BlacklistZone Parse(string spec, BlacklistZoneKind customKind = BlacklistZoneKind.Ip)
    {
        var text = spec.Trim();
        var equals = text.IndexOf('=');
        var name = DnsNames.Normalize(equals < 0 ? text : text[..equals]);
        if (!DnsNames.IsValidDomain(name))
        {
            throw new FormatException($"zone '{spec}': '{name}' is not a valid zone name");
        }

        if (equals < 0)
        {
            return BlacklistZones.Find(name)
                ?? throw new FormatException($"zone '{spec}' is not a default list; give its listing codes, e.g. '{name}=127.0.0.2'");
        }

        var codes = new List<BlacklistCode>();
        foreach (var item in text[(equals + 1)..].Split(','))
        {
            codes.Add(ParseCode(spec, item.Trim()));
        }

        return new BlacklistZone { Name = name, Kind = customKind, Codes = codes, SupportsIpv6 = true };
    }

    private static BlacklistCode ParseCode(string spec, string item)
    {
        var dash = item.IndexOf('-');
        var first = dash < 0 ? item : item[..dash].Trim();
        var last = dash < 0 ? item : item[(dash + 1)..].Trim();
        if (!IsLoopbackCode(first, out var from) || !IsLoopbackCode(last, out var to))
        {
            throw new FormatException($"zone '{spec}': '{item}' is not a return code in 127.0.0.0/8 (e.g. 127.0.0.2 or 127.0.0.4-127.0.0.7)");
        }

        // 127.255.255.0/24 is a refusal on every zone; a spec that calls it a listing would be silently ignored.
        if (from.GetAddressBytes()[1..3] is [255, 255] || to.GetAddressBytes()[1..3] is [255, 255])
        {
            throw new FormatException($"zone '{spec}': '{item}' is in 127.255.255.0/24, which means 'query refused', never 'listed'");
        }

        if (BlacklistCode.ToNumber(from) > BlacklistCode.ToNumber(to))
        {
            throw new FormatException($"zone '{spec}': the range '{item}' ends before it starts");
        }

        var meaning = dash < 0 ? $"listed ({item})" : $"listed ({first}-{last})";
        return new BlacklistCode(from, to, meaning);
    }

    private static bool IsLoopbackCode(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        return parts.Length == 4
            && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit))
            && IPAddress.TryParse(text, out address!)
            && address.AddressFamily == AddressFamily.InterNetwork
            && address.GetAddressBytes()[0] == 127;
    }
}
