using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Dns;

/// <summary>
/// An IP address as a person types it: IPv4 as a dotted quad (four decimal parts 0-255, no leading zeros) or IPv6
/// (hexadecimal groups, optionally ending in a dotted quad). <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone also reads <c>12345</c> as 0.0.48.57, <c>1.2.3</c> as 1.2.0.3 and <c>010.0.0.1</c> as octal, and takes a
/// zone (<c>%eth0</c>): a typo would become another address without a word.
/// </summary>
public static class IpAddressText
{
    /// <summary>The longest IPv6 text form (with an embedded IPv4 address).</summary>
    private const int MaxLength = 45;

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var value = text?.Trim() ?? "";
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        if (value.Contains(':'))
        {
            var tail = value[(value.LastIndexOf(':') + 1)..];
            return value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                && (!tail.Contains('.') || IsDottedQuad(tail))
                && IPAddress.TryParse(value, out address)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (!IsDottedQuad(value))
        {
            return false;
        }

        address = IPAddress.Parse(value);
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    /// <exception cref="FormatException">The text is not an address in one of those forms.</exception>
    public static IPAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IP address (IPv4 as a.b.c.d, or IPv6)");

    private static bool IsDottedQuad(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is > 0 and <= 3
            && part.All(char.IsAsciiDigit)
            && (part.Length == 1 || part[0] != '0')
            && int.Parse(part, CultureInfo.InvariantCulture) <= 255);
    }
}
