using System.Globalization;
using System.Text;

namespace Deliverability.Load;

/// <summary>
/// Parses <c>[step.]metric op value[unit]</c> in one pass over a bounded text (no regular expression). Every error is
/// one line that quotes the (sanitised) input and says what is expected.
/// </summary>
internal static class ThresholdParser
{
    public const int MaxLength = 200;
    private const string Metrics = "pNN (p50, p99.9), service_pNN, mean, max, error_rate, rps, accepted_per_s, dropped, late_rate";

    public static bool TryParse(string? text, out Threshold? threshold, out string? error)
    {
        threshold = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "threshold is empty: write for example 'p99 < 500ms'";
            return false;
        }

        var expression = text.Trim();
        if (expression.Length > MaxLength)
        {
            error = $"threshold is longer than {MaxLength} characters";
            return false;
        }

        var quoted = Sanitise(expression);
        var operatorAt = expression.IndexOfAny(['<', '>', '=', '!']);
        if (operatorAt < 0)
        {
            error = $"threshold '{quoted}': no comparison; use <, <=, > or >=";
            return false;
        }

        var left = expression[..operatorAt].Trim();
        var rest = expression.AsSpan(operatorAt);
        ThresholdOperator op;
        int operatorLength;
        if (rest.StartsWith("<="))
        {
            (op, operatorLength) = (ThresholdOperator.LessThanOrEqual, 2);
        }
        else if (rest.StartsWith(">="))
        {
            (op, operatorLength) = (ThresholdOperator.GreaterThanOrEqual, 2);
        }
        else if (rest[0] == '<' && (rest.Length < 2 || rest[1] is not ('<' or '>' or '=')))
        {
            (op, operatorLength) = (ThresholdOperator.LessThan, 1);
        }
        else if (rest[0] == '>' && (rest.Length < 2 || rest[1] is not ('<' or '>' or '=')))
        {
            (op, operatorLength) = (ThresholdOperator.GreaterThan, 1);
        }
        else
        {
            error = $"threshold '{quoted}': unsupported comparison; use <, <=, > or >=";
            return false;
        }

        if (left.Length == 0)
        {
            error = $"threshold '{quoted}': no metric before the comparison; use {Metrics}";
            return false;
        }

        if (!TrySplitMetric(left, out var step, out var metric, out var percentile))
        {
            error = $"threshold '{quoted}': unknown metric '{Sanitise(left)}'; use [step.]metric with metric one of {Metrics}";
            return false;
        }

        if (step is not null && metric is ThresholdMetric.DroppedStarts or ThresholdMetric.LateStartRate)
        {
            error = $"threshold '{quoted}': {MetricName(metric)} belongs to the scenario, not to a step";
            return false;
        }

        if (step is not null && !IsStepName(step))
        {
            error = $"threshold '{quoted}': step name '{Sanitise(step)}' has characters other than letters, digits, '_', '-', '.'";
            return false;
        }

        var valueText = expression.AsSpan(operatorAt + operatorLength).Trim();
        if (!TryParseValue(valueText, metric, out var limit, out var valueError))
        {
            error = $"threshold '{quoted}': {valueError}";
            return false;
        }

        threshold = new Threshold(expression, step, metric, percentile, op, limit);
        error = null;
        return true;
    }

    private static bool TrySplitMetric(string left, out string? step, out ThresholdMetric metric, out double percentile)
    {
        if (TryParseMetric(left, out metric, out percentile))
        {
            step = null;
            return true;
        }

        for (var dot = left.IndexOf('.'); dot >= 0; dot = left.IndexOf('.', dot + 1))
        {
            if (dot > 0 && TryParseMetric(left.AsSpan(dot + 1).Trim(), out metric, out percentile))
            {
                step = left[..dot].Trim();
                return step.Length > 0;
            }
        }

        step = null;
        return false;
    }

    private static bool TryParseMetric(ReadOnlySpan<char> name, out ThresholdMetric metric, out double percentile)
    {
        percentile = 0;
        metric = default;
        if (name.Equals("mean", StringComparison.OrdinalIgnoreCase) || name.Equals("avg", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.MeanResponseTime;
            return true;
        }

        if (name.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.MaxResponseTime;
            return true;
        }

        if (name.Equals("error_rate", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.ErrorRate;
            return true;
        }

        if (name.Equals("rps", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.RequestsPerSecond;
            return true;
        }

        if (name.Equals("accepted_per_s", StringComparison.OrdinalIgnoreCase) || name.Equals("ok_per_s", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.AcceptedPerSecond;
            return true;
        }

        if (name.Equals("dropped", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.DroppedStarts;
            return true;
        }

        if (name.Equals("late_rate", StringComparison.OrdinalIgnoreCase))
        {
            metric = ThresholdMetric.LateStartRate;
            return true;
        }

        var digits = name;
        metric = ThresholdMetric.ResponseTimePercentile;
        if (digits.StartsWith("service_p", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits["service_p".Length..];
            metric = ThresholdMetric.ServiceTimePercentile;
        }
        else if (digits.StartsWith("p", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[1..];
        }
        else
        {
            return false;
        }

        return IsPlainNumber(digits)
            && double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percentile)
            && percentile is > 0 and <= 100;
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, ThresholdMetric metric, out double limit, out string error)
    {
        limit = 0;
        var numberLength = 0;
        while (numberLength < text.Length && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == '.'))
        {
            numberLength++;
        }

        var number = text[..numberLength];
        if (!IsPlainNumber(number)
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = text.Length == 0 ? "no value after the comparison" : "the value must be a number >= 0 (like 500ms, 1%, 200)";
            return false;
        }

        var unit = text[numberLength..].Trim().ToString().ToLowerInvariant();
        switch (metric)
        {
            case ThresholdMetric.ResponseTimePercentile or ThresholdMetric.ServiceTimePercentile
                or ThresholdMetric.MeanResponseTime or ThresholdMetric.MaxResponseTime:
                double? factor = unit switch { "" or "ms" => 1, "us" or "µs" => 0.001, "s" => 1000, "m" or "min" => 60_000, _ => null };
                if (factor is null)
                {
                    error = $"unknown time unit '{Sanitise(unit)}'; use us, ms, s or m (ms when omitted)";
                    return false;
                }

                limit = value * factor.Value;
                break;
            case ThresholdMetric.ErrorRate or ThresholdMetric.LateStartRate:
                if (unit == "%")
                {
                    limit = value / 100;
                }
                else if (unit.Length == 0 && value <= 1)
                {
                    limit = value;
                }
                else
                {
                    error = unit.Length == 0
                        ? "a rate above 1 needs a percent sign (write 5% or 0.05)"
                        : $"unknown unit '{Sanitise(unit)}' for a rate; write a percentage (1%) or a fraction (0.01)";
                    return false;
                }

                if (limit > 1)
                {
                    error = "a rate cannot exceed 100%";
                    return false;
                }

                break;
            case ThresholdMetric.RequestsPerSecond or ThresholdMetric.AcceptedPerSecond:
                if (unit is not ("" or "/s"))
                {
                    error = $"unknown unit '{Sanitise(unit)}' for a rate per second; write a number, optionally followed by /s";
                    return false;
                }

                limit = value;
                break;
            default:
                if (unit.Length != 0)
                {
                    error = $"'{MetricName(metric)}' is a count and takes no unit";
                    return false;
                }

                limit = value;
                break;
        }

        error = "";
        return true;
    }

    public static string MetricName(ThresholdMetric metric) => metric switch
    {
        ThresholdMetric.DroppedStarts => "dropped",
        ThresholdMetric.LateStartRate => "late_rate",
        ThresholdMetric.ErrorRate => "error_rate",
        ThresholdMetric.RequestsPerSecond => "rps",
        ThresholdMetric.AcceptedPerSecond => "accepted_per_s",
        ThresholdMetric.MeanResponseTime => "mean",
        ThresholdMetric.MaxResponseTime => "max",
        ThresholdMetric.ServiceTimePercentile => "service_pNN",
        _ => "pNN",
    };

    private static bool IsPlainNumber(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] == '.' || text[^1] == '.')
        {
            return false;
        }

        var dots = 0;
        foreach (var character in text)
        {
            if (character == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(character))
            {
                return false;
            }
        }

        return dots <= 1;
    }

    private static bool IsStepName(string step)
    {
        foreach (var character in step)
        {
            if (!(char.IsAsciiLetterOrDigit(character) || character is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text with control characters replaced, so an error message stays on one line.</summary>
    public static string Sanitise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            builder.Append(char.IsControl(character) ? '?' : character);
        }

        return builder.ToString();
    }
}
