using System.Globalization;

namespace Deliverability.LoadScenarios;

/// <summary>
/// The values scenario files and the command line share: durations (<c>30s</c>, <c>2m</c>, <c>1h</c>, <c>250ms</c>,
/// <c>00:01:00</c>) and sizes (<c>1KiB</c>, <c>10KB</c>, <c>1MiB</c>, <c>2048</c>). Parsed by hand, no regex.
/// </summary>
public static class LoadText
{
    /// <summary>Parses a duration; <paramref name="error"/> is a one-line reason when it fails.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            error = $"'{Shorten(text)}' is not a duration (30s, 2m, 1h, 250ms or 00:01:00)";
            return false;
        }

        if (text.Contains(':'))
        {
            if (TimeSpan.TryParseExact(text, ["c", @"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss"], CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero)
            {
                return true;
            }

            error = $"'{text}' is not a duration (30s, 2m, 1h, 250ms or 00:01:00)";
            return false;
        }

        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
        {
            unitStart--;
        }

        var scale = text[unitStart..].ToLowerInvariant() switch
        {
            "ms" => 0.001,
            "s" or "sec" => 1,
            "m" or "min" => 60,
            "h" => 3600,
            _ => double.NaN,
        };
        if (double.IsNaN(scale) || !double.TryParse(text[..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value * scale) || value * scale > TimeSpan.FromDays(7).TotalSeconds)
        {
            error = $"'{text}' is not a duration (30s, 2m, 1h, 250ms or 00:01:00)";
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    /// <summary>Parses a size in bytes: a whole number with an optional unit B, KB/MB (1000s) or KiB/MiB (1024s).</summary>
    public static bool TryParseSize(string? text, out long bytes, out string? error)
    {
        bytes = 0;
        error = null;
        text = text?.Trim();
        var unitStart = text?.Length ?? 0;
        while (unitStart > 0 && char.IsAsciiLetter(text![unitStart - 1]))
        {
            unitStart--;
        }

        long? scale = string.IsNullOrEmpty(text) || text.Length > 32 ? null : text[unitStart..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "kb" => 1000,
            "kib" or "k" => 1024,
            "mb" => 1000 * 1000,
            "mib" or "m" => 1024 * 1024,
            _ => null,
        };
        if (scale is null || !double.TryParse(text![..unitStart].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value * scale.Value > long.MaxValue / 2)
        {
            error = $"'{Shorten(text)}' is not a size (1024, 1KiB, 10KB, 1MiB)";
            return false;
        }

        bytes = (long)Math.Round(value * scale.Value);
        return true;
    }

    /// <summary>A duration as the shortest text that reads back (<c>30s</c>, <c>2m</c>, <c>1.5s</c>).</summary>
    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds >= 3600 && duration.TotalSeconds % 3600 == 0 ? $"{duration.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : duration.TotalSeconds >= 60 && duration.TotalSeconds % 60 == 0 ? $"{duration.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
        : duration.TotalSeconds >= 1 ? $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
        : $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    internal static string Shorten(string? text)
    {
        text ??= "";
        return text.Length <= 40 ? text : text[..40] + "...";
    }
}
