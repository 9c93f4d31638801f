namespace Deliverability.Core.Authentication.TagValues;

/// <summary>One <c>name=value</c> of a tag list; <see cref="Position"/> is the 1-based column of its name in the record.</summary>
public sealed record TagValue(string Name, string Value, int Position);

/// <summary>
/// The tag=value list of RFC 6376 section 3.2 that DKIM key records, DMARC, MTA-STS, TLS-RPT and BIMI records share:
/// <c>tag-spec *( ";" tag-spec ) [ ";" ]</c>, folding white space around names, '=' and values and inside values, values
/// of printable ASCII other than ';', and no tag twice. What differs between the records (tag names, their case, empty
/// tag-specs) comes from a <see cref="TagValueSyntax"/>. Written without regex: it runs for every record of every audit.
/// </summary>
/// <param name="Tags">The tags in record order; a repeated or malformed tag-spec is left out.</param>
/// <param name="Problems">One sentence per syntax error, with its position; empty when the list is valid.</param>
public sealed record TagValueList(IReadOnlyList<TagValue> Tags, IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>All problems in one sentence, or null when the list is valid.</summary>
    public string? Error => IsValid ? null : string.Join("; ", Problems);

    /// <summary>The value of a tag, or null when absent.</summary>
    public string? this[string name] => Find(name)?.Value;

    public TagValue? Find(string name)
    {
        foreach (var tag in Tags)
        {
            if (tag.Name == name)
            {
                return tag;
            }
        }

        return null;
    }

    /// <summary>
    /// Splits <paramref name="text"/> into tags by the rules of <paramref name="syntax"/>. Never throws: each malformed
    /// tag-spec becomes a problem and the parse goes on with the next one.
    /// </summary>
    public static TagValueList Parse(string text, TagValueSyntax syntax)
    {
        var tags = new List<TagValue>(8);
        List<string>? problems = null;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf(';', start);
            var last = end < 0;
            if (last)
            {
                end = text.Length;
            }

            var problem = ParseSpec(text, start, end, last, syntax, tags);
            if (problem is not null)
            {
                (problems ??= []).Add(problem);
            }

            start = end + 1;
        }

        return new TagValueList(tags, problems ?? (IReadOnlyList<string>)[]);
    }

    private static string? ParseSpec(string text, int start, int end, bool last, TagValueSyntax syntax, List<TagValue> tags)
    {
        var from = SkipSpace(text, start, end);
        if (from == end)
        {
            // After the last ';' (a trailing ';', or a record without tags) the grammar allows nothing; between two it is a tag-spec.
            return last || syntax.EmptyTagSpecsAllowed
                ? null
                : $"an empty tag (';;') at position {end + 1}";
        }

        var equals = text.IndexOf('=', from, end - from);
        if (equals < 0)
        {
            return $"'{text[from..end].Trim()}' at position {from + 1} is not a tag=value pair";
        }

        var nameEnd = equals;
        while (nameEnd > from && IsSpace(text[nameEnd - 1]))
        {
            nameEnd--;
        }

        var name = text[from..nameEnd];
        if (name.Length == 0)
        {
            return $"a value without a tag name at position {from + 1}";
        }

        if (!IsTagName(name, syntax.Names))
        {
            return $"'{name}' at position {from + 1} is not a valid tag name ({Describe(syntax.Names)})";
        }

        if (syntax.CaseInsensitiveNames)
        {
            name = name.ToLowerInvariant();
        }

        var valueStart = SkipSpace(text, equals + 1, end);
        var valueEnd = end;
        while (valueEnd > valueStart && IsSpace(text[valueEnd - 1]))
        {
            valueEnd--;
        }

        for (var i = valueStart; i < valueEnd; i++)
        {
            var c = text[i];
            if (!IsSpace(c) && (c < 0x21 || c > 0x7E))
            {
                return $"the value of tag '{name}' has an invalid character (U+{(int)c:X4}) at position {i + 1}";
            }
        }

        foreach (var earlier in tags)
        {
            if (earlier.Name == name)
            {
                return $"tag '{name}' appears twice (positions {earlier.Position} and {from + 1}); a repeated tag makes the whole {syntax.Record} record invalid";
            }
        }

        tags.Add(new TagValue(name, text[valueStart..valueEnd], from + 1));
        return null;
    }

    private static int SkipSpace(string text, int from, int end)
    {
        while (from < end && IsSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    // WSP and the CR LF of folding white space.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsTagName(string name, TagNameRule rule)
    {
        if (rule == TagNameRule.ExtensionName)
        {
            if (name.Length > 32 || !char.IsAsciiLetterOrDigit(name[0]))
            {
                return false;
            }

            foreach (var c in name)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
                {
                    return false;
                }
            }

            return true;
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(TagNameRule rule) => rule == TagNameRule.ExtensionName
        ? "a letter or digit, then at most 31 letters, digits, '_', '-' or '.'"
        : "a letter, then letters, digits or '_'";
}
