using System.CommandLine;
using System.Globalization;

namespace Monitor.Cli;

/// <summary>
/// An option counted in seconds (<c>--dns-timeout 2.5</c>): more than 0 and at most a maximum. Anything else is one
/// usage error in plain words naming the option, never an exception.
/// </summary>
public static class SecondsOption
{
    public static Option<double> Create(string name, string description, double defaultSeconds, double maxSeconds) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultSeconds,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultSeconds; // a missing value is the parser's own error
            }

            var text = result.Tokens[^1].Value;
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
}
