using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Deliverability.Core.Dns;

/// <summary>
/// A domain name as the service knows it: the one form a name a person typed (configuration, the dashboard, the API, the
/// command line) is stored, compared and asked of DNS in. Made only by <see cref="TryParse"/> or <see cref="Parse"/>,
/// which normalise once: trimmed, the root's trailing dot removed, lower case, each internationalized label (U-label,
/// <c>bücher</c>) converted to its A-label (<c>xn--bcher-kva</c>) with <see cref="IdnMapping"/>.
/// </summary>
/// <remarks>
/// <para>
/// A sealed class rather than a struct: <c>default</c> of a struct would be a name that never went through
/// <see cref="TryParse"/>, so every holder would have to check it; a class has no such value, and "no name" is a null
/// the compiler tracks. One small allocation per parse is nothing next to the DNS queries a name is parsed for.
/// </para>
/// <para>
/// Rules: at least two labels, each 1-63 characters, the whole A-label form at most 253; a label holds letters, digits,
/// hyphens (not first or last) and underscores (kept, as the service has always accepted them, for names that are
/// queried but not host names); the last label is not all digits (that is an IP address). A label in another script is
/// letters, marks and digits only, converted per label with the STD3 rules. The service runs without ICU
/// (invariant globalization), so no Unicode normalisation form is applied: a name is taken as it is typed.
/// </para>
/// </remarks>
public sealed class DomainName : IEquatable<DomainName>, IComparable<DomainName>
{
    /// <summary>Longer input is refused before any other work: no name is longer, even written in Unicode.</summary>
    public const int MaxInputLength = 1024;

    /// <summary>The longest name in its A-label form (RFC 1035: 255 octets on the wire).</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label, in its A-label form.</summary>
    public const int MaxLabelLength = 63;

    private const string AceP = "xn--";

    // Instances are not documented as thread-safe: one per thread.
    [ThreadStatic]
    private static IdnMapping? _idn;

    private DomainName(string ascii, string unicode)
    {
        Ascii = ascii;
        Unicode = unicode;
    }

    /// <summary>The A-label form, lower case, without a trailing dot (<c>xn--bcher-kva.example</c>): stored, compared and queried.</summary>
    public string Ascii { get; }

    /// <summary>The same name with its A-labels shown in Unicode (<c>bücher.example</c>), for display only.</summary>
    public string Unicode { get; }

    private static IdnMapping Idn => _idn ??= new IdnMapping { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>
    /// Reads a domain name; false with <paramref name="problem"/> when <paramref name="text"/> is not one. The problem
    /// starts <c>'text' is not a valid domain name.</c> and says why in a second sentence; a long text is shortened in it.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DomainName? name, out string problem)
    {
        name = null;
        var reason = Read(text, out var ascii, out var unicode);
        if (reason is not null)
        {
            problem = $"'{Shown(text)}' is not a valid domain name. {reason}";
            return false;
        }

        name = new DomainName(ascii!, unicode!);
        problem = "";
        return true;
    }

    /// <exception cref="FormatException">The text is not a domain name; the message is <see cref="TryParse"/>'s problem.</exception>
    public static DomainName Parse(string text) => TryParse(text, out var name, out var problem) ? name : throw new FormatException(problem);

    /// <summary>Whether <paramref name="text"/> is a valid domain name (in any form <see cref="TryParse"/> accepts).</summary>
    public static bool IsValid(string? text) => Read(text, out _, out _) is null;

    public override string ToString() => Ascii;

    public bool Equals(DomainName? other) => other is not null && string.Equals(Ascii, other.Ascii, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as DomainName);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Ascii);

    public int CompareTo(DomainName? other) => other is null ? 1 : string.CompareOrdinal(Ascii, other.Ascii);

    public static bool operator ==(DomainName? left, DomainName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DomainName? left, DomainName? right) => !(left == right);

    // Null when the text is a name (ascii and unicode set), else why not, as a sentence.
    private static string? Read(string? text, out string? ascii, out string? unicode)
    {
        ascii = unicode = null;
        if (text is null || text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            return "It is empty.";
        }

        if (text.Length > MaxInputLength)
        {
            return $"It is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long (at most {MaxLength}).";
        }

        var name = text.Trim();
        if (name.EndsWith('.'))
        {
            name = name[..^1]; // the root
        }

        if (name.Length == 0)
        {
            return "It is empty.";
        }

        var labels = name.Split('.');
        var asciiLabels = new string[labels.Length];
        var unicodeLabels = new string[labels.Length];
        var internationalized = false;
        for (var i = 0; i < labels.Length; i++)
        {
            var problem = ReadLabel(labels[i], out asciiLabels[i], out unicodeLabels[i]);
            if (problem is not null)
            {
                return problem;
            }

            internationalized |= asciiLabels[i] != unicodeLabels[i];
        }

        if (labels.Length < 2)
        {
            return "It has a single label (a domain name has at least two, like example.com).";
        }

        if (asciiLabels[^1].All(char.IsAsciiDigit))
        {
            return "Its last label is all digits (an IP address is not a domain name).";
        }

        ascii = string.Join('.', asciiLabels);
        if (ascii.Length > MaxLength)
        {
            return $"It is {ascii.Length} characters long{(internationalized ? " in its ASCII form" : "")} (at most {MaxLength}).";
        }

        unicode = internationalized ? string.Join('.', unicodeLabels) : ascii;
        return null;
    }

    // Null when the label is valid: its A-label (lower case) and its Unicode form (the same string when ASCII).
    private static string? ReadLabel(string label, out string ascii, out string unicode)
    {
        ascii = unicode = "";
        if (label.Length == 0)
        {
            return "It has an empty label (two dots in a row, or a dot at the start).";
        }

        if (!System.Text.Ascii.IsValid(label))
        {
            return ReadUnicodeLabel(label, out ascii, out unicode);
        }

        var lower = label.ToLowerInvariant();
        var problem = AsciiLabelProblem(lower);
        if (problem is not null)
        {
            return problem;
        }

        ascii = unicode = lower;
        if (lower.StartsWith(AceP, StringComparison.Ordinal))
        {
            // An A-label must decode, and be the encoding of what it decodes to, so that its Unicode form means one name.
            unicode = ToUnicode(lower) ?? "";
            if (unicode.Length == 0 || UnicodeLabelProblem(unicode) is not null || ToAscii(unicode) != lower)
            {
                return $"The label '{Shown(label)}' is not a valid IDN A-label.";
            }
        }

        return null;
    }

    private static string? ReadUnicodeLabel(string label, out string ascii, out string unicode)
    {
        ascii = unicode = "";
        var lower = label.ToLowerInvariant();
        var problem = UnicodeLabelProblem(lower);
        if (problem is not null)
        {
            return problem;
        }

        // IdnMapping also refuses an A-label over 63 characters.
        var encoded = ToAscii(lower);
        if (encoded is null || encoded.Contains('.') || encoded.Length > MaxLabelLength)
        {
            return $"The label '{Shown(label)}' is not a valid internationalized label, or is over {MaxLabelLength} characters long in its ASCII form.";
        }

        ascii = encoded;
        unicode = lower;
        return null;
    }

    private static string? AsciiLabelProblem(string label)
    {
        if (label.Length > MaxLabelLength)
        {
            return $"The label '{Shown(label)}' is {label.Length} characters long (at most {MaxLabelLength}).";
        }

        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return $"The label '{Shown(label)}' holds {Character(c)} (a label holds letters, digits, '-' and '_').";
            }
        }

        return label.StartsWith('-') || label.EndsWith('-') ? $"The label '{Shown(label)}' starts or ends with '-'." : null;
    }

    // Letters, marks and digits of any script, and ASCII letters, digits and '-': no spaces, symbols, emoji, controls or
    // invisible characters (a look-alike or hidden character would make a name that reads as another).
    private static string? UnicodeLabelProblem(string label)
    {
        foreach (var rune in label.EnumerateRunes())
        {
            if (rune.IsAscii
                ? !(Rune.IsLetterOrDigit(rune) || rune.Value == '-')
                : !(Rune.IsLetter(rune) || Rune.IsDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
            {
                return $"The label '{Shown(label)}' holds {Character(rune)} (an internationalized label holds letters, marks, digits and '-').";
            }
        }

        return label.StartsWith('-') || label.EndsWith('-') ? $"The label '{Shown(label)}' starts or ends with '-'." : null;
    }

    private static string? ToAscii(string label)
    {
        try
        {
            return Idn.GetAscii(label).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? ToUnicode(string label)
    {
        try
        {
            return Idn.GetUnicode(label);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Character(char c) => Character(new Rune(c));

    private static string Character(Rune rune) =>
        rune.Value == ' ' ? "a space"
        : Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format ? $"U+{rune.Value:X4}"
        : $"'{rune}'";

    // The text as echoed in a problem: trimmed, control characters written as \uXXXX, at most 100 characters.
    private static string Shown(string? text)
    {
        var value = (text ?? "").Trim();
        var cut = value.Length > 100;
        var builder = new StringBuilder(Math.Min(value.Length, 100) + 8);
        foreach (var c in cut ? value[..100] : value)
        {
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }
}
