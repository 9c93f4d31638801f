using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>
/// A macro-string of RFC 7208 section 7, parsed once (when the record is parsed) and expanded per evaluation.
/// Domain-specs and unknown modifiers use the plain form; explanation TXT records also allow spaces and the
/// <c>c r t</c> letters.
/// </summary>
public sealed class SpfMacroString
{
    private const string Delimiters = ".-+,/_=";
    private const int MaxKeptParts = 128;

    private readonly Segment[] _segments;

    private SpfMacroString(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
        UsesValidatedName = Array.Exists(segments, s => s.Letter == 'p');
    }

    /// <summary>The string as written in the record.</summary>
    public string Text { get; }

    /// <summary>True when expansion needs the validated domain name of the client (<c>%{p}</c>), which costs DNS queries.</summary>
    public bool UsesValidatedName { get; }

    /// <summary>True when the string has no macro at all (expansion returns <see cref="Text"/> unchanged).</summary>
    public bool IsLiteral => !Text.Contains('%');

    /// <summary>True when the string ends with a macro-expand (<c>%{..}</c>, <c>%%</c>, <c>%_</c>, <c>%-</c>).</summary>
    internal bool EndsWithMacro { get; private init; }

    public override string ToString() => Text;

    /// <summary>Parses a macro-string of a record (no spaces; letters <c>s l o d i p h v</c>).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SpfMacroString? value, out string error) =>
        TryParse(text, explanation: false, out value, out error);

    /// <summary>Parses an explanation string (section 6.2): spaces allowed, and the letters <c>c r t</c> too.</summary>
    public static bool TryParseExplanation(string text, [NotNullWhen(true)] out SpfMacroString? value, out string error) =>
        TryParse(text, explanation: true, out value, out error);

    private static bool TryParse(string text, bool explanation, [NotNullWhen(true)] out SpfMacroString? value, out string error)
    {
        value = null;
        error = "";
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var endsWithMacro = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                if (c is < '!' or > '~' && !(explanation && c == ' '))
                {
                    error = $"'{text}' contains a character that is not visible ASCII (0x{(int)c:X2})";
                    return false;
                }

                literal.Append(c);
                endsWithMacro = false;
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                error = $"'{text}' ends with a lone '%' (write %% for a percent sign)";
                return false;
            }

            var next = text[i + 1];
            switch (next)
            {
                case '%':
                    literal.Append('%');
                    i += 2;
                    endsWithMacro = true;
                    continue;
                case '_':
                    literal.Append(' ');
                    i += 2;
                    endsWithMacro = true;
                    continue;
                case '-':
                    literal.Append("%20");
                    i += 2;
                    endsWithMacro = true;
                    continue;
                case '{':
                    break;
                default:
                    error = $"'{text}' has '%' followed by '{next}': a '%' must start %{{...}}, %%, %_ or %-";
                    return false;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                error = $"'{text}' has a macro '%{{' without its closing '}}'";
                return false;
            }

            if (!TryParseMacro(text.AsSpan(i + 2, close - i - 2), explanation, out var macro, out var macroError))
            {
                error = $"'{text}': {macroError}";
                return false;
            }

            if (literal.Length > 0)
            {
                segments.Add(Segment.OfLiteral(literal.ToString()));
                literal.Clear();
            }

            segments.Add(macro);
            endsWithMacro = true;
            i = close + 1;
        }

        if (literal.Length > 0 || segments.Count == 0)
        {
            segments.Add(Segment.OfLiteral(literal.ToString()));
        }

        value = new SpfMacroString(text, [.. segments]) { EndsWithMacro = endsWithMacro };
        return true;
    }

    private static bool TryParseMacro(ReadOnlySpan<char> body, bool explanation, out Segment macro, out string error)
    {
        macro = default;
        error = "";
        if (body.Length == 0)
        {
            error = "an empty macro %{}";
            return false;
        }

        var letter = body[0];
        var lower = char.ToLowerInvariant(letter);
        if ("slodiphv".IndexOf(lower) < 0 && !(explanation && "crt".IndexOf(lower) >= 0))
        {
            error = "crt".IndexOf(lower) >= 0
                ? $"the macro letter '{letter}' is allowed only in explanation text"
                : $"'{letter}' is not a macro letter (s l o d i p h v, and c r t in explanations)";
            return false;
        }

        var i = 1;
        var keep = 0;
        var hasDigits = false;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            keep = Math.Min(MaxKeptParts, (keep * 10) + (body[i] - '0'));
            hasDigits = true;
            i++;
        }

        if (hasDigits && keep == 0)
        {
            error = $"the macro %{{{body}}} keeps 0 parts (the number must be at least 1)";
            return false;
        }

        var reverse = false;
        if (i < body.Length && body[i] is 'r' or 'R')
        {
            reverse = true;
            i++;
        }

        var delimiters = body[i..];
        foreach (var d in delimiters)
        {
            if (Delimiters.IndexOf(d) < 0)
            {
                error = $"the macro %{{{body}}} has '{d}' where a delimiter (. - + , / _ =) was expected";
                return false;
            }
        }

        macro = new Segment(null, lower, char.IsAsciiLetterUpper(letter), keep, reverse, delimiters.Length == 0 ? null : delimiters.ToString());
        return true;
    }

    /// <summary>Expands every macro with the values of one evaluation; <paramref name="domain"/> is the current <c>%{d}</c>.</summary>
    public string Expand(SpfMacroValues values, string domain)
    {
        if (_segments.Length == 1 && _segments[0].Letter == '\0')
        {
            return _segments[0].Literal!;
        }

        var builder = new StringBuilder(Text.Length + 32);
        foreach (var segment in _segments)
        {
            if (segment.Letter == '\0')
            {
                builder.Append(segment.Literal);
                continue;
            }

            var raw = segment.Letter switch
            {
                's' => values.Sender,
                'l' => values.LocalPart,
                'o' => values.SenderDomain,
                'd' => domain,
                'i' => values.DottedIp,
                'p' => values.ValidatedName ?? "unknown",
                'v' => values.IsIPv6 ? "ip6" : "in-addr",
                'h' => values.Helo,
                'c' => values.ReadableIp,
                'r' => values.Receiver,
                't' => values.Timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
            var transformed = Transform(raw, segment);
            if (segment.Escape)
            {
                AppendUrlEscaped(builder, transformed);
            }
            else
            {
                builder.Append(transformed);
            }
        }

        return builder.ToString();
    }

    private static string Transform(string value, Segment segment)
    {
        if (segment.Keep == 0 && !segment.Reverse && segment.Delimiters is null)
        {
            return value;
        }

        var parts = value.Split((segment.Delimiters ?? ".").ToCharArray());
        if (segment.Reverse)
        {
            Array.Reverse(parts);
        }

        var keep = segment.Keep == 0 ? parts.Length : Math.Min(segment.Keep, parts.Length);
        return string.Join('.', parts, parts.Length - keep, keep);
    }

    // Section 7.3: upper-case macro letters are URL-escaped; only the unreserved set of RFC 3986 stays as is.
    private static void AppendUrlEscaped(StringBuilder builder, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '.' or '_' or '~'))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < length; b++)
            {
                builder.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private readonly record struct Segment(string? Literal, char Letter, bool Escape, int Keep, bool Reverse, string? Delimiters)
    {
        public static Segment OfLiteral(string text) => new(text, '\0', false, 0, false, null);
    }
}
