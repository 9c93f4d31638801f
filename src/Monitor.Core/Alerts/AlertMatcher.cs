using System.Text.RegularExpressions;

namespace Monitor.Core.Alerts;

public enum MatchOperator
{
    Equal,
    NotEqual,
    Regex,
    NotRegex,
}

/// <summary>
/// One label matcher as Alertmanager writes it: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>,
/// <c>name!~regex</c>. A regex must match the whole value; a missing label has the empty value.
/// </summary>
public sealed partial class AlertMatcher
{
    private readonly Regex? _regex;

    public AlertMatcher(string name, MatchOperator op, string value)
    {
        Name = name;
        Operator = op;
        Value = value;
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            _regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
    }

    public string Name { get; }

    public MatchOperator Operator { get; }

    public string Value { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.TryGetValue(Name, out var value) ? value : "";
        return Operator switch
        {
            MatchOperator.Equal => actual == Value,
            MatchOperator.NotEqual => actual != Value,
            MatchOperator.Regex => _regex!.IsMatch(actual),
            _ => !_regex!.IsMatch(actual),
        };
    }

    public static bool MatchesAll(IReadOnlyList<AlertMatcher> matchers, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/>; a quoted value may hold any character (<c>summary="a, b"</c>).</summary>
    /// <exception cref="FormatException">The text names no label, has no operator, or its regex does not compile; the message quotes it.</exception>
    public static AlertMatcher Parse(string text)
    {
        var match = Syntax().Match(text ?? "");
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a label matcher (name=value, name!=value, name=~regex or name!~regex)");
        }

        var op = match.Groups["op"].Value switch
        {
            "=" => MatchOperator.Equal,
            "!=" => MatchOperator.NotEqual,
            "=~" => MatchOperator.Regex,
            _ => MatchOperator.NotRegex,
        };
        var value = match.Groups["value"].Value.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        try
        {
            return new AlertMatcher(match.Groups["name"].Value, op, value);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"'{text}': the regex does not compile ({ex.Message})", ex);
        }
    }

    public static IReadOnlyList<AlertMatcher> ParseAll(IEnumerable<string> texts) => texts.Select(Parse).ToArray();

    public override string ToString()
    {
        var op = Operator switch
        {
            MatchOperator.Equal => "=",
            MatchOperator.NotEqual => "!=",
            MatchOperator.Regex => "=~",
            _ => "!~",
        };
        return $"{Name}{op}\"{Value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>=~|!~|!=|=)(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex Syntax();
}
