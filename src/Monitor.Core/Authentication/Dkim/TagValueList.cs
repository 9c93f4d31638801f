namespace Monitor.Core.Authentication.Dkim;

/// <summary>One <c>name=value</c> of a tag list; <see cref="Position"/> is the 1-based column of its name in the record.</summary>
public sealed record TagValue(string Name, string Value, int Position);

/// <summary>
/// The tag=value list of RFC 6376 section 3.2, which DKIM key records and DMARC records (RFC 7489 section 6.4) share:
/// <c>tag-spec *( ";" tag-spec ) [ ";" ]</c>, tag names <c>ALPHA *(ALPHA / DIGIT / "_")</c>, values of printable
/// ASCII other than ';' with folding white space inside, and no tag twice. Written without regex: it runs for every
/// record of every audit.
/// </summary>
public sealed record TagValueList(IReadOnlyList<TagValue> Tags, string? Error)
{
    public bool IsValid => Error is null;

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
    /// Splits <paramref name="text"/> into tags. <paramref name="lowerCaseNames"/> folds tag names to lower case
    /// (DMARC); DKIM names are case-sensitive. The first syntax error ends the parse and is described with its position.
    /// </summary>
    public static TagValueList Parse(string text, bool lowerCaseNames = false)
    {
        var tags = new List<TagValue>(8);
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf(';', start);
            if (end < 0)
            {
                end = text.Length;
            }

            var error = ParseSpec(text, start, end, lowerCaseNames, tags);
            if (error is not null)
            {
                return new TagValueList(tags, error);
            }

            start = end + 1;
        }

        return new TagValueList(tags, null);
    }

    private static string? ParseSpec(string text, int start, int end, bool lowerCaseNames, List<TagValue> tags)
    {
        var from = SkipSpace(text, start, end);
        if (from == end)
        {
            // Empty spec: a trailing ';' is allowed; receivers also skip ';;', so it is no error here.
            return null;
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
        if (!IsTagName(name))
        {
            return name.Length == 0
                ? $"a value without a tag name at position {from + 1}"
                : $"'{name}' at position {from + 1} is not a valid tag name (a letter, then letters, digits or '_')";
        }

        if (lowerCaseNames)
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
                return $"tag '{name}' appears twice (positions {earlier.Position} and {from + 1}); RFC 6376 makes such a record invalid";
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

    private static bool IsTagName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
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
}
