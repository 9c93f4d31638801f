using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Deliverability.Core.Authentication.ReverseDns;

/// <summary>
/// Recognizes the PTR names access providers generate for whole address ranges (<c>1-2-3-4.dyn.isp.example</c>):
/// receivers treat them as consumer or dynamic space and score mail from them as likely spam.
/// </summary>
public static partial class GenericHostName
{
    /// <summary>Why <paramref name="hostName"/> looks generated for <paramref name="address"/>, or null when it looks chosen.</summary>
    public static string? Reason(string hostName, IPAddress address)
    {
        var name = hostName.ToLowerInvariant();
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && ContainsIPv4Digits(name, address))
        {
            return "it embeds the address's digits";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && ContainsIPv6Digits(name, address))
        {
            return "it embeds the address's hexadecimal digits";
        }

        var word = GenericWord().Match(name);
        return word.Success ? $"it contains '{word.Groups["word"].Value}', a word of dynamic or consumer address space" : null;
    }

    private static bool ContainsIPv4Digits(string name, IPAddress address)
    {
        var octets = address.GetAddressBytes().Select(b => (int)b).ToArray();
        var numbers = Number().Matches(name).Select(m => int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        for (var i = 0; i + 4 <= numbers.Length; i++)
        {
            var run = numbers.AsSpan(i, 4);
            if (run.SequenceEqual(octets) || run.SequenceEqual(octets.Reverse().ToArray()))
            {
                return true;
            }
        }

        // Zero-padded (192000002001) and hexadecimal (c0000201) forms.
        var padded = string.Concat(octets.Select(o => o.ToString("D3", CultureInfo.InvariantCulture)));
        var hex = string.Concat(octets.Select(o => o.ToString("x2", CultureInfo.InvariantCulture)));
        return name.Contains(padded, StringComparison.Ordinal) || name.Split('.', '-').Contains(hex);
    }

    private static bool ContainsIPv6Digits(string name, IPAddress address)
    {
        var flat = name.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        var full = Convert.ToHexStringLower(address.GetAddressBytes());
        var compressed = address.ToString().Replace(':', '-');
        return name.Contains(compressed, StringComparison.Ordinal) || flat.Contains(full[16..], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?:^|[^a-z])(?<word>dynamic|dyn|dhcp|pool|dsl|adsl|vdsl|xdsl|cable|dialup|dial-up|dial|ppp|pppoe|broadband|residential|unassigned|cust|customer)(?:[^a-z]|$)")]
    private static partial Regex GenericWord();
}
