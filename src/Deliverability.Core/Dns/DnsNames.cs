using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Deliverability.Core.Dns;

/// <summary>
/// Names as DNS carries them (query names, names read from records), already in ASCII. A name a person typed is a
/// <see cref="DomainName"/>, which holds the rules for what a domain name is.
/// </summary>
public static class DnsNames
{
    /// <summary>Lower case, no trailing dot: the form a name from DNS is compared in (a name typed by a person goes through <see cref="DomainName"/>).</summary>
    public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>Whether a name can be asked at all (RFC 1035 lengths: 253 characters, 63 per label, no empty label).</summary>
    public static bool IsQueryable(string name, out string error)
    {
        error = "";
        if (name.Length == 0)
        {
            error = "the name is empty";
            return false;
        }

        if (name.Length > 253)
        {
            error = $"the name is {name.Length} characters long (at most 253)";
            return false;
        }

        // Asked before every query: the labels are measured in place, without splitting the name into strings.
        var rest = name.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            var labelLength = dot < 0 ? rest.Length : dot;
            if (labelLength == 0)
            {
                error = $"'{name}' has an empty label";
                return false;
            }

            if (labelLength > 63)
            {
                error = $"'{name}' has a label of {labelLength} characters (at most 63)";
                return false;
            }

            if (dot < 0)
            {
                return true;
            }

            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>The PTR query name of an address: <c>4.3.2.1.in-addr.arpa</c> or the IPv6 nibble form under <c>ip6.arpa</c>.</summary>
    public static string ReverseName(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('.', bytes.Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture))) + ".in-addr.arpa";
        }

        var builder = new StringBuilder(72);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            builder.Append(HexDigit(bytes[i] & 0x0F)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
        }

        return builder.Append("ip6.arpa").ToString();
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
