namespace Monitor.Core.Authentication.MtaSts;

/// <summary>
/// The <c>tag=value; tag=value</c> syntax shared by the MTA-STS, TLS-RPT and BIMI TXT records: tags in order,
/// plus a sentence for each part that is not <c>name=value</c> or repeats a tag.
/// </summary>
public sealed record TagList(IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Problems)
{
    public static TagList Parse(string text)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var problems = new List<string>();
        var parts = text.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim(' ', '\t');
            if (part.Length == 0)
            {
                // A trailing ';' is allowed; an empty field in the middle is not.
                if (i < parts.Length - 1)
                {
                    problems.Add("it has an empty field (';;')");
                }

                continue;
            }

            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                problems.Add($"'{part}' is not of the form tag=value");
                continue;
            }

            var name = part[..equals].TrimEnd(' ', '\t');
            var value = part[(equals + 1)..].TrimStart(' ', '\t');
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                problems.Add($"'{name}' is not a valid tag name");
                continue;
            }

            if (tags.Any(t => t.Key == name))
            {
                problems.Add($"the tag '{name}' appears more than once");
                continue;
            }

            tags.Add(new KeyValuePair<string, string>(name, value));
        }

        return new TagList(tags, problems);
    }

    public string? this[string name] => Tags.Where(t => t.Key == name).Select(t => t.Value).FirstOrDefault();

    public bool Has(string name) => Tags.Any(t => t.Key == name);
}
