using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Deliverability.LoadScenarios;

namespace Deliverability.Cli.LoadTests;

/// <summary>
/// Options of <c>monitor loadtest</c> that take a rate, a duration or a size: parsed once by the parser, a bad value is
/// one usage error naming the option (as <see cref="NumberOptions"/> does for the other commands).
/// </summary>
internal static class LoadTestOptionValues
{
    /// <summary>A rate per second: more than 0, at most <see cref="LoadTestDefinitions.MaxRate"/>.</summary>
    public static Option<double?> Rate(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = result =>
        {
            if (Token(result) is not { } text)
            {
                return null;
            }

            if (!double.TryParse(text.EndsWith("/s", StringComparison.Ordinal) ? text[..^2] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                || !double.IsFinite(rate) || rate <= 0 || rate > LoadTestDefinitions.MaxRate)
            {
                result.AddError($"{name}: '{text}' is not a rate per second (more than 0, at most {LoadTestDefinitions.MaxRate.ToString(CultureInfo.InvariantCulture)})");
                return null;
            }

            return rate;
        },
    };

    /// <summary>A duration (<c>30s</c>, <c>2m</c>, <c>00:01:00</c>) from <paramref name="min"/> to 24 h.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, bool required = false, TimeSpan? min = null) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = result =>
        {
            if (Token(result) is not { } text)
            {
                return null;
            }

            var lowest = min ?? TimeSpan.FromMilliseconds(1);
            if (!LoadText.TryParseDuration(text, out var duration, out var error))
            {
                result.AddError($"{name}: {error}");
                return null;
            }

            if (duration < lowest || duration > TimeSpan.FromHours(24))
            {
                result.AddError($"{name}: must be from {LoadText.FormatDuration(lowest)} to 24h (was {text})");
                return null;
            }

            return duration;
        },
    };

    /// <summary>A message size (<c>1KiB</c>, <c>10KB</c>, <c>1MiB</c>) within the SMTP scenario's bounds.</summary>
    public static Option<long?> Size(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (Token(result) is not { } text)
            {
                return null;
            }

            if (!LoadText.TryParseSize(text, out var bytes, out var error))
            {
                result.AddError($"{name}: {error}");
                return null;
            }

            if (bytes is < SmtpTarget.MinMessageSizeBytes or > SmtpTarget.MaxMessageSizeBytes)
            {
                result.AddError($"{name}: must be from {SmtpTarget.MinMessageSizeBytes} B to 25 MiB (was {text})");
                return null;
            }

            return bytes;
        },
    };

    /// <summary>A fraction, as 0.05 or 5%.</summary>
    public static Option<double?> Fraction(string name, string description, double min, double max) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (Token(result) is not { } text)
            {
                return null;
            }

            var percent = text.EndsWith('%');
            if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                result.AddError($"{name}: '{text}' is not a fraction (0.05 or 5%)");
                return null;
            }

            value = percent ? value / 100 : value;
            if (value < min || value > max)
            {
                result.AddError($"{name}: must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (was {text})");
                return null;
            }

            return value;
        },
    };

    private static string? Token(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
}
