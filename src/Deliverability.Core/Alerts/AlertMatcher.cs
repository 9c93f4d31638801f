using System.Text.RegularExpressions;

namespace Deliverability.Core.Alerts;

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
/// <remarks>
/// Matchers come from outside (silences, API filters, configuration), so a regex is safe by construction: compiled with
/// <see cref="RegexOptions.NonBacktracking"/> (time linear in the label's length, no catastrophic backtracking, so no
/// timeout to hit), anchored as Alertmanager anchors it (<c>^(?:regex)$</c>, end of text), and bounded in length.
/// Constructs that need backtracking (backreferences, lookarounds, atomic groups, conditionals) are refused.
/// </remarks>
public sealed partial class AlertMatcher
{
    /// <summary>The longest matcher text (name, operator and value) accepted.</summary>
    public const int MaxLength = 1024;

    /// <summary>The most matchers one silence or one alert list request may have.</summary>
    public const int MaxCount = 20;

    private readonly Regex? _regex;

    /// <exception cref="FormatException">The value is too long, or the regex does not compile or uses a construct that needs backtracking; the message says which.</exception>
    public AlertMatcher(string name, MatchOperator op, string value)
    {
        Name = name;
        Operator = op;
        Value = value;
        if (value.Length > MaxLength)
        {
            throw new FormatException($"the value is {value.Length} characters long; at most {MaxLength} are accepted");
        }

        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            _regex = Compile(value);
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
    /// <exception cref="FormatException">The text is too long, names no label, has no operator, or its regex does not compile or needs backtracking; the message quotes the text (shortened when long).</exception>
    public static AlertMatcher Parse(string text)
    {
        text ??= "";
        if (text.Length > MaxLength)
        {
            throw new FormatException($"'{Shortened(text)}' is {text.Length} characters long; a matcher may have at most {MaxLength}");
        }

        var match = Syntax().Match(text);
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
        catch (FormatException ex)
        {
            throw new FormatException($"'{text}': {ex.Message}", ex);
        }
    }

    /// <summary>Parses every text.</summary>
    /// <exception cref="FormatException">One does not parse (see <see cref="Parse"/>).</exception>
    public static IReadOnlyList<AlertMatcher> ParseAll(IEnumerable<string> texts) => texts.Select(Parse).ToArray();

    /// <summary>Parses every text, or says why one does not parse, without throwing (for matchers stored by an earlier release).</summary>
    public static bool TryParseAll(IEnumerable<string> texts, out IReadOnlyList<AlertMatcher> matchers, out string? error)
    {
        try
        {
            matchers = ParseAll(texts);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            matchers = [];
            error = ex.Message;
            return false;
        }
    }

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

    private static Regex Compile(string pattern)
    {
        const RegexOptions Safe = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
        try
        {
            // The pattern alone first: 'a)|(b' would otherwise escape the anchoring group and match anywhere.
            _ = new Regex(pattern, Safe, Regex.InfiniteMatchTimeout);
            return new Regex($"^(?:{pattern})\\z", Safe, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException ex)
        {
            // Backreferences, lookarounds, atomic groups, conditionals, or an automaton too large: the message names it.
            throw new FormatException($"the regex cannot be matched in linear time ({ex.Message})", ex);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"the regex does not compile ({ex.Message})", ex);
        }
    }

    private static string Shortened(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>=~|!~|!=|=)(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex Syntax();
}
