using System.Text;

namespace Deliverability.Core.Alerts;

/// <summary>
/// Splits label matchers typed as one text (the dashboard's silence form) at commas and line breaks. A comma inside
/// double quotes (<c>summary="a, b"</c>) or inside a regex's brackets (<c>check=~a{1,3}</c>, <c>check=~(a,b)</c>,
/// <c>check=~[,;]</c>) belongs to the value; a backslash escapes the next character.
/// </summary>
/// <remarks>One pass over the text, no regex; the matchers are checked afterwards by <see cref="AlertMatcher.Parse"/>.</remarks>
public static class MatcherList
{
    public static IReadOnlyList<string> Split(string? text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var inClass = false; // within [...], where ( { and ] ... are characters
        var depth = 0;
        var escaped = false;
        foreach (var c in text ?? "")
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (c is '\n' or '\r' || (c == ',' && !quoted && !inClass && depth == 0))
            {
                Add(items, current);
                continue;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && inClass)
            {
                inClass = c != ']';
            }
            else if (!quoted)
            {
                inClass = c == '[';
                depth += c is '(' or '{' ? 1 : c is ')' or '}' && depth > 0 ? -1 : 0;
            }

            current.Append(c);
        }

        Add(items, current);
        return items;
    }

    private static void Add(List<string> items, StringBuilder current)
    {
        var item = current.ToString().Trim();
        current.Clear();
        if (item.Length > 0)
        {
            items.Add(item);
        }
    }
}
