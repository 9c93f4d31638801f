using System.Collections.Frozen;
using System.Globalization;

namespace Deliverability.Core.PublicSuffix;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/): which names are registry-controlled, so that
/// <see cref="OrganizationalDomain"/> can find the domain a DMARC policy belongs to (RFC 7489 section 3.2).
/// Rules, wildcards (<c>*.ck</c>), exceptions (<c>!www.ck</c>) and the implicit <c>*</c> rule are applied as the
/// list's own algorithm says. Names are compared lower case in their ASCII (punycode) form.
/// </summary>
public sealed class PublicSuffixList
{
    private const string ResourceName = "Deliverability.Core.PublicSuffix.public_suffix_list.dat";
    private const string BeginPrivate = "===BEGIN PRIVATE DOMAINS===";
    private const string EndPrivate = "===END PRIVATE DOMAINS===";

    private static readonly Lazy<PublicSuffixList> Shipped = new(LoadShipped);

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _rules;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _wildcardParents;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _exceptions;
    private readonly bool _hasExceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcardParents, HashSet<string> exceptions)
    {
        _rules = rules.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardParents = wildcardParents.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _exceptions = exceptions.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _hasExceptions = exceptions.Count > 0;
        RuleCount = rules.Count + wildcardParents.Count + exceptions.Count;
    }

    /// <summary>The list shipped in this assembly, ICANN and private sections, parsed once on first use.</summary>
    public static PublicSuffixList Default => Shipped.Value;

    /// <summary>How many rules were read (normal, wildcard and exception).</summary>
    public int RuleCount { get; }

    /// <summary>
    /// Reads a list in the publicsuffix.org format. Private-section rules (github.io, blogspot.com, ...) are kept
    /// unless <paramref name="includePrivateDomains"/> is false: under them each customer is its own organization.
    /// </summary>
    public static PublicSuffixList Parse(string text, bool includePrivateDomains = true)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcardParents = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var inPrivate = false;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                if (line.Contains(BeginPrivate, StringComparison.Ordinal))
                {
                    inPrivate = true;
                }
                else if (line.Contains(EndPrivate, StringComparison.Ordinal))
                {
                    inPrivate = false;
                }

                continue;
            }

            if (line.IsEmpty || (inPrivate && !includePrivateDomains))
            {
                continue;
            }

            // A rule is the line up to its first whitespace.
            var end = line.IndexOfAny(' ', '\t');
            var rule = (end < 0 ? line : line[..end]).ToString();
            if (rule.StartsWith('!'))
            {
                AddIfValid(exceptions, rule[1..]);
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                AddIfValid(wildcardParents, rule[2..]);
            }
            else
            {
                AddIfValid(rules, rule);
            }
        }

        return new PublicSuffixList(rules, wildcardParents, exceptions);
    }

    /// <summary>The public suffix of <paramref name="domain"/> (<c>co.uk</c> for <c>mail.example.co.uk</c>); null for a name that is not a valid domain.</summary>
    public string? PublicSuffix(string domain)
    {
        var name = ToLookupForm(domain);
        return name is null ? null : name[PublicSuffixStart(name)..];
    }

    /// <summary>Whether <paramref name="domain"/> is itself a public suffix (<c>com</c>, <c>co.uk</c>, <c>github.io</c>).</summary>
    public bool IsPublicSuffix(string domain)
    {
        var name = ToLookupForm(domain);
        return name is not null && PublicSuffixStart(name) == 0;
    }

    /// <summary>
    /// The public suffix plus one label (<c>example.co.uk</c> for <c>mail.example.co.uk</c>); null when the name is
    /// itself a public suffix or not a valid domain. This is the list's own <c>checkPublicSuffix</c> answer.
    /// </summary>
    public string? RegistrableDomain(string domain)
    {
        var name = ToLookupForm(domain);
        if (name is null)
        {
            return null;
        }

        var start = PublicSuffixStart(name);
        if (start == 0)
        {
            return null;
        }

        var labelStart = name.LastIndexOf('.', start - 2) + 1;
        return labelStart == 0 ? name : name[labelStart..];
    }

    /// <summary>
    /// The Organizational Domain of RFC 7489 section 3.2: the registrable domain, or the name itself when it is a
    /// public suffix (a PSD publishing its own policy) or cannot be looked up. Returned lower case, ASCII form.
    /// </summary>
    public string OrganizationalDomain(string domain) =>
        RegistrableDomain(domain) ?? ToLookupForm(domain) ?? domain.Trim().TrimEnd('.').ToLowerInvariant();

    // Index in name where its public suffix starts.
    private int PublicSuffixStart(string name)
    {
        var span = name.AsSpan();
        if (_hasExceptions)
        {
            // An exception rule prevails over every other rule: the suffix is the exception minus its first label.
            for (var start = 0; start >= 0; start = NextLabel(span, start))
            {
                if (_exceptions.Contains(span[start..]))
                {
                    return NextLabel(span, start);
                }
            }
        }

        // Otherwise the rule with the most labels wins; suffixes are tried from the longest.
        for (var start = 0; start >= 0; start = NextLabel(span, start))
        {
            var suffix = span[start..];
            if (_rules.Contains(suffix))
            {
                return start;
            }

            var parent = NextLabel(span, start);
            if (parent >= 0 && _wildcardParents.Contains(span[parent..]))
            {
                return start;
            }
        }

        // The implicit "*" rule: the last label is a public suffix.
        return span.LastIndexOf('.') + 1;
    }

    private static int NextLabel(ReadOnlySpan<char> name, int start)
    {
        var dot = name[start..].IndexOf('.');
        return dot < 0 ? -1 : start + dot + 1;
    }

    /// <summary>Lower case ASCII without a trailing dot, or null when the name has an empty label or is not a valid IDN.</summary>
    private static string? ToLookupForm(string domain)
    {
        var name = domain.AsSpan().Trim();
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name[0] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        // The common case (already lower case ASCII) costs no allocation beyond the string itself.
        if (!name.ContainsAnyInRange((char)0x80, char.MaxValue))
        {
            if (!name.ContainsAnyInRange('A', 'Z'))
            {
                return name.Length == domain.Length ? domain : name.ToString();
            }

            return name.ToString().ToLowerInvariant();
        }

        try
        {
            // A new IdnMapping per call: instances are not documented as thread-safe, and Unicode input is rare.
            return new IdnMapping().GetAscii(name.ToString()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void AddIfValid(HashSet<string> set, string rule)
    {
        var name = ToLookupForm(rule);
        if (name is not null)
        {
            set.Add(name);
        }
    }

    private static PublicSuffixList LoadShipped()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Deliverability.Core.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
