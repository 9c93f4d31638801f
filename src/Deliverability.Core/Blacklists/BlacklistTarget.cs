using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Blacklists;

/// <summary>What is looked up: a sending IP address (IPv4 or IPv6) or a domain name (lower case).</summary>
public sealed record BlacklistTarget
{
    private BlacklistTarget(string text, BlacklistZoneKind kind, IPAddress? address)
    {
        Text = text;
        Kind = kind;
        Address = address;
    }

    /// <summary>The normalized form: the address as .NET prints it, or the lower-case domain.</summary>
    public string Text { get; }

    public BlacklistZoneKind Kind { get; }

    public IPAddress? Address { get; }

    public bool IsIpv6 => Address?.AddressFamily == AddressFamily.InterNetworkV6;

    public static BlacklistTarget ForAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new BlacklistTarget(address.ToString(), BlacklistZoneKind.Ip, address);
    }

    /// <summary>A domain, asked of domain lists in its A-label form.</summary>
    public static BlacklistTarget ForDomain(DomainName domain) => new(domain.Ascii, BlacklistZoneKind.Domain, null);

    /// <summary>RFC 5782 IPv6 test points <c>::FFFF:7F00:1</c> and <c>::FFFF:7F00:2</c>, kept as IPv6 so they are asked in nibble form.</summary>
    internal static BlacklistTarget ForIpv6TestPoint(byte last)
    {
        byte[] bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x7F, 0x00, 0x00, last];
        var address = new IPAddress(bytes);
        return new BlacklistTarget($"::FFFF:7F00:{last}", BlacklistZoneKind.Ip, address);
    }

    /// <summary>RFC 5782 domain test points <c>test</c> and <c>invalid</c> (single labels, which <see cref="Parse"/> refuses).</summary>
    internal static BlacklistTarget ForTestName(string name) => new(name, BlacklistZoneKind.Domain, null);

    /// <summary>Parses an IPv4 address (four dotted decimals), an IPv6 address or a domain name.</summary>
    /// <exception cref="FormatException">The value is neither; the message names it.</exception>
    public static BlacklistTarget Parse(string text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out BlacklistTarget? target, out string error)
    {
        target = null;
        error = "";
        var value = text.Trim();
        if (value.Contains(':'))
        {
            if (IpAddressText.TryParse(value, out var v6))
            {
                target = ForAddress(v6);
                return true;
            }

            error = $"'{text}' is not a valid IPv6 address";
            return false;
        }

        // Four dotted numbers are meant as an IPv4 address (a domain's last label is never all digits).
        var parts = value.Split('.');
        if (parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)))
        {
            if (IpAddressText.TryParse(value, out var v4))
            {
                target = ForAddress(v4);
                return true;
            }

            error = $"'{text}' is not a valid IPv4 address (each part is 0-255, without leading zeros)";
            return false;
        }

        if (DomainName.TryParse(value, out var domain, out _))
        {
            target = ForDomain(domain);
            return true;
        }

        error = $"'{text}' is neither an IP address nor a valid domain name";
        return false;
    }

    /// <summary>
    /// The name asked of <paramref name="zone"/> (RFC 5782): reversed IPv4 octets, 32 reversed IPv6 nibbles,
    /// or the domain as is, followed by the zone name.
    /// </summary>
    public string QueryName(BlacklistZone zone) => QueryName(zone.Name);

    public string QueryName(string zoneName)
    {
        if (Address is null)
        {
            return $"{Text}.{zoneName}";
        }

        var bytes = Address.GetAddressBytes();
        var builder = new StringBuilder(80);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes.Length == 4)
            {
                builder.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }
            else
            {
                builder.Append(HexDigit(bytes[i] & 0x0F)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
            }
        }

        return builder.Append(zoneName).ToString();
    }

    public override string ToString() => Text;

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
