using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Deliverability.Cli;

/// <summary>
/// Options that take a number (<c>--dns-timeout 2.5</c>, <c>--concurrency 64</c>) within bounds. Anything else is one
/// usage error in plain words naming the option, never an exception: the value is read here, once, by the parser.
/// </summary>
public static class NumberOptions
{
    /// <summary>Seconds: more than 0 and at most <paramref name="maxSeconds"/>.</summary>
    public static Option<double> Seconds(string name, string description, double defaultSeconds, double maxSeconds) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultSeconds,
        CustomParser = result =>
        {
            if (LastToken(result) is not { } text)
            {
                return defaultSeconds; // a missing value is the parser's own error
            }

            var max = maxSeconds.ToString(CultureInfo.InvariantCulture);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
            {
                result.AddError($"{name}: '{text}' is not a number of seconds (more than 0, at most {max})");
                return defaultSeconds;
            }

            if (!(seconds > 0 && seconds <= maxSeconds))
            {
                result.AddError($"{name}: must be more than 0 and at most {max} seconds (was {text})");
                return defaultSeconds;
            }

            return seconds;
        },
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (LastToken(result) is not { } text)
            {
                return defaultValue;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name}: '{text}' is not a whole number ({min} to {max})");
                return defaultValue;
            }

            if (value < min || value > max)
            {
                result.AddError($"{name}: must be {min} to {max} (was {text})");
                return defaultValue;
            }

            return value;
        },
    };

    /// <summary>The option's value as typed (the last one when given twice); null when it has none.</summary>
    internal static string? LastToken(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
}
