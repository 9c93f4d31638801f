using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>A parsed SPF record (RFC 7208 sections 4.5, 4.6, 5, 6 and 7.1).</summary>
public sealed class SpfRecord
{
    private SpfRecord(string text, SpfMechanism[] mechanisms, SpfMacroString? redirect, SpfMacroString? explanation, SpfModifier[] unknown)
    {
        Text = text;
        Mechanisms = mechanisms;
        Redirect = redirect;
        Explanation = explanation;
        UnknownModifiers = unknown;
    }

    public string Text { get; }

    /// <summary>The directives, in the order they are evaluated.</summary>
    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    /// <summary>The <c>redirect=</c> domain-spec, if any.</summary>
    public SpfMacroString? Redirect { get; }

    /// <summary>The <c>exp=</c> domain-spec, if any.</summary>
    public SpfMacroString? Explanation { get; }

    /// <summary>Modifiers the RFC does not define: valid, ignored by evaluation.</summary>
    public IReadOnlyList<SpfModifier> UnknownModifiers { get; }

    /// <summary>
    /// Whether a TXT record is an SPF version 1 record: it starts with <c>v=spf1</c> (any case) followed by a space
    /// or the end (section 4.5). <c>v=spf10</c> is not.
    /// </summary>
    public static bool IsSpfRecord(string text) =>
        text.Length >= 6 && text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>Parses a record; throws <see cref="FormatException"/> with the reason when it is not valid.</summary>
    public static SpfRecord Parse(string text) =>
        TryParse(text, out var record, out var error) ? record : throw new FormatException(error);

    /// <summary>Parses a record; <paramref name="error"/> says what is wrong (check_host() turns it into permerror).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SpfRecord? record, out string error)
    {
        record = null;
        if (!IsSpfRecord(text))
        {
            error = "the record does not start with 'v=spf1'";
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is < ' ' or > '~')
            {
                error = text[i] > '~'
                    ? $"the record has a non-ASCII character at position {i + 1}: SPF records are 7-bit ASCII"
                    : $"the record has the control character 0x{(int)text[i]:X2} at position {i + 1}: terms are separated by spaces only";
                return false;
            }
        }

        var mechanisms = new List<SpfMechanism>();
        var unknown = new List<SpfModifier>();
        SpfMacroString? redirect = null;
        SpfMacroString? explanation = null;
        foreach (var term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var nameEnd = 0;
            while (nameEnd < term.Length && IsNameChar(term[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd < term.Length && term[nameEnd] == '=')
            {
                if (!TryParseModifier(term, nameEnd, ref redirect, ref explanation, unknown, out error))
                {
                    return false;
                }

                continue;
            }

            if (!TryParseMechanism(term, out var mechanism, out error))
            {
                return false;
            }

            mechanisms.Add(mechanism);
        }

        record = new SpfRecord(text, [.. mechanisms], redirect, explanation, [.. unknown]);
        error = "";
        return true;
    }

    private static bool TryParseModifier(
        string term, int nameEnd, ref SpfMacroString? redirect, ref SpfMacroString? explanation, List<SpfModifier> unknown, out string error)
    {
        var name = term[..nameEnd];
        var value = term[(nameEnd + 1)..];
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            error = name.Length == 0
                ? $"'{term}' is a modifier without a name"
                : $"'{term}': a modifier name must start with a letter";
            return false;
        }

        var isRedirect = name.Equals("redirect", StringComparison.OrdinalIgnoreCase);
        if (isRedirect || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
        {
            if ((isRedirect ? redirect : explanation) is not null)
            {
                error = $"'{name}=' appears more than once (at most one is allowed)";
                return false;
            }

            if (!TryParseDomainSpec(value, term, out var spec, out error))
            {
                return false;
            }

            if (isRedirect)
            {
                redirect = spec;
            }
            else
            {
                explanation = spec;
            }

            return true;
        }

        if (!SpfMacroString.TryParse(value, out var macro, out error))
        {
            error = $"the modifier '{term}' has an invalid value: {error}";
            return false;
        }

        unknown.Add(new SpfModifier(name, macro));
        return true;
    }

    private static bool TryParseMechanism(string term, [NotNullWhen(true)] out SpfMechanism? mechanism, out string error)
    {
        mechanism = null;
        var qualifier = SpfQualifier.Pass;
        var start = 0;
        if (term[0] is '+' or '-' or '~' or '?')
        {
            qualifier = term[0] switch
            {
                '-' => SpfQualifier.Fail,
                '~' => SpfQualifier.SoftFail,
                '?' => SpfQualifier.Neutral,
                _ => SpfQualifier.Pass,
            };
            start = 1;
        }

        var nameEnd = start;
        while (nameEnd < term.Length && char.IsAsciiLetterOrDigit(term[nameEnd]))
        {
            nameEnd++;
        }

        var name = term[start..nameEnd];
        var rest = term[nameEnd..];
        SpfMechanismKind? kind = name.ToLowerInvariant() switch
        {
            "all" => SpfMechanismKind.All,
            "include" => SpfMechanismKind.Include,
            "a" => SpfMechanismKind.A,
            "mx" => SpfMechanismKind.Mx,
            "ptr" => SpfMechanismKind.Ptr,
            "ip4" => SpfMechanismKind.Ip4,
            "ip6" => SpfMechanismKind.Ip6,
            "exists" => SpfMechanismKind.Exists,
            _ => null,
        };
        if (kind is null)
        {
            error = name.Length == 0 ? $"'{term}' is not a mechanism or a modifier" : $"'{name}' in '{term}' is not a mechanism";
            return false;
        }

        switch (kind.Value)
        {
            case SpfMechanismKind.All:
                if (rest.Length > 0)
                {
                    error = $"'{term}': 'all' takes no argument";
                    return false;
                }

                mechanism = new SpfMechanism(qualifier, SpfMechanismKind.All, term);
                error = "";
                return true;

            case SpfMechanismKind.Include or SpfMechanismKind.Exists:
                if (!rest.StartsWith(':'))
                {
                    error = $"'{term}': '{name}' needs ':' and a domain";
                    return false;
                }

                if (!TryParseDomainSpec(rest[1..], term, out var target, out error))
                {
                    return false;
                }

                mechanism = new SpfMechanism(qualifier, kind.Value, term, target);
                return true;

            case SpfMechanismKind.Ptr:
                SpfMacroString? ptrTarget = null;
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(':'))
                    {
                        error = $"'{term}': 'ptr' takes only ':' and a domain";
                        return false;
                    }

                    if (!TryParseDomainSpec(rest[1..], term, out ptrTarget, out error))
                    {
                        return false;
                    }
                }

                mechanism = new SpfMechanism(qualifier, SpfMechanismKind.Ptr, term, ptrTarget);
                error = "";
                return true;

            case SpfMechanismKind.A or SpfMechanismKind.Mx:
                return TryParseAddressMechanism(qualifier, kind.Value, term, rest, out mechanism, out error);

            default:
                return TryParseNetwork(qualifier, kind.Value, term, rest, out mechanism, out error);
        }
    }

    private static bool TryParseAddressMechanism(
        SpfQualifier qualifier, SpfMechanismKind kind, string term, string rest, [NotNullWhen(true)] out SpfMechanism? mechanism, out string error)
    {
        mechanism = null;
        var ip4 = 32;
        var ip6 = 128;

        // dual-cidr-length = [ "/" ip4-cidr ] [ "//" ip6-cidr ], read from the end because a domain-spec may hold '/'.
        if (TryTakeCidrSuffix(ref rest, "//", out var ip6Text))
        {
            if (!TryParsePrefix(ip6Text, 128, out ip6))
            {
                error = $"'{term}': the IPv6 prefix length '/{ip6Text}' is not 0-128";
                return false;
            }
        }

        if (TryTakeCidrSuffix(ref rest, "/", out var ip4Text))
        {
            if (!TryParsePrefix(ip4Text, 32, out ip4))
            {
                error = $"'{term}': the IPv4 prefix length '/{ip4Text}' is not 0-32";
                return false;
            }
        }

        SpfMacroString? target = null;
        if (rest.Length > 0)
        {
            if (!rest.StartsWith(':'))
            {
                error = $"'{term}': expected ':domain' or a prefix length after '{(kind == SpfMechanismKind.A ? "a" : "mx")}'";
                return false;
            }

            if (!TryParseDomainSpec(rest[1..], term, out target, out error))
            {
                return false;
            }
        }

        mechanism = new SpfMechanism(qualifier, kind, term, target, null, ip4, ip6);
        error = "";
        return true;
    }

    private static bool TryParseNetwork(
        SpfQualifier qualifier, SpfMechanismKind kind, string term, string rest, [NotNullWhen(true)] out SpfMechanism? mechanism, out string error)
    {
        mechanism = null;
        var isIp4 = kind == SpfMechanismKind.Ip4;
        if (!rest.StartsWith(':') || rest.Length == 1)
        {
            error = $"'{term}': '{(isIp4 ? "ip4" : "ip6")}' needs ':' and a network";
            return false;
        }

        var network = rest[1..];
        var max = isIp4 ? 32 : 128;
        var prefix = max;
        var slash = network.IndexOf('/');
        if (slash >= 0)
        {
            var prefixText = network[(slash + 1)..];
            network = network[..slash];
            if (!TryParsePrefix(prefixText, max, out prefix))
            {
                error = $"'{term}': the prefix length '/{prefixText}' is not 0-{max}";
                return false;
            }
        }

        IPAddress? address;
        if (isIp4)
        {
            address = ParseStrictIPv4(network);
        }
        else
        {
            address = network.Contains(':') && !network.Contains('%') && IPAddress.TryParse(network, out var parsed)
                && parsed.AddressFamily == AddressFamily.InterNetworkV6 ? parsed : null;
        }

        if (address is null)
        {
            error = $"'{term}': '{network}' is not an {(isIp4 ? "IPv4 address (four decimal numbers 0-255)" : "IPv6 address")}";
            return false;
        }

        mechanism = new SpfMechanism(qualifier, kind, term, null, address, isIp4 ? prefix : 32, isIp4 ? 128 : prefix);
        error = "";
        return true;
    }

    private static bool TryTakeCidrSuffix(ref string rest, string marker, out string digits)
    {
        digits = "";
        var end = rest.Length;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(rest[start - 1]))
        {
            start--;
        }

        var markerStart = start - marker.Length;
        if (start == end || markerStart < 0 || string.CompareOrdinal(rest, markerStart, marker, 0, marker.Length) != 0)
        {
            return false;
        }

        // "a//64" is an IPv6 length, never an empty IPv4 one followed by '/64'.
        if (marker == "/" && markerStart > 0 && rest[markerStart - 1] == '/')
        {
            return false;
        }

        digits = rest[start..end];
        rest = rest[..markerStart];
        return true;
    }

    // Leading zeros are refused like in ip4-network (the conformance suite's cidr4-032).
    private static bool TryParsePrefix(string text, int max, out int prefix)
    {
        prefix = 0;
        return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= max;
    }

    /// <summary>Four decimal octets 0-255 without leading zeros (IPAddress.Parse would accept "1.2.3" and octal).</summary>
    internal static IPAddress? ParseStrictIPv4(string text)
    {
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var i = 0;
        while (part < 4)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            var length = i - start;
            if (length == 0 || value > 255 || (length > 1 && text[start] == '0'))
            {
                return null;
            }

            bytes[part++] = (byte)value;
            if (part < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return null;
                }

                i++;
            }
        }

        return i == text.Length ? new IPAddress(bytes) : null;
    }

    /// <summary>
    /// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand (section 7.1).
    /// </summary>
    internal static bool TryParseDomainSpec(string text, string term, [NotNullWhen(true)] out SpfMacroString? spec, out string error)
    {
        spec = null;
        if (text.Length == 0)
        {
            error = $"'{term}' has an empty domain";
            return false;
        }

        if (!SpfMacroString.TryParse(text, out var macro, out error))
        {
            error = $"'{term}': {error}";
            return false;
        }

        if (!macro.EndsWithMacro)
        {
            var body = text.EndsWith('.') ? text[..^1] : text;
            var dot = body.LastIndexOf('.');
            if (dot < 0 || !IsTopLabel(body.AsSpan(dot + 1)))
            {
                error = dot < 0
                    ? $"'{term}': '{text}' is not a domain (it needs at least two labels)"
                    : $"'{term}': '{body[(dot + 1)..]}' is not a valid top-level label (letters, digits, inner hyphens, not all digits)";
                if (dot >= 0 && body[(dot + 1)..].All(c => char.IsAsciiDigit(c) || c == '.'))
                {
                    error += "; to authorize an address use ip4: or ip6:";
                }

                return false;
            }
        }

        spec = macro;
        error = "";
        return true;
    }

    /// <summary>toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).</summary>
    internal static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.Length == 0 || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]))
        {
            return false;
        }

        var hasLetter = false;
        var hasHyphen = false;
        foreach (var c in label)
        {
            if (c == '-')
            {
                hasHyphen = true;
            }
            else if (char.IsAsciiLetter(c))
            {
                hasLetter = true;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return hasLetter || hasHyphen;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
