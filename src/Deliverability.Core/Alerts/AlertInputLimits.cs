namespace Deliverability.Core.Alerts;

/// <summary>
/// The bounds of what a person or a client may write into the alerts (acknowledgements and silences): everything
/// written is shown to every user of the dashboard, the API and the CLI, so each free-text field has a length limit and
/// no control characters (an ESC or a CR in a name would rewrite a terminal line).
/// </summary>
public static class AlertInputLimits
{
    /// <summary>A name: who acknowledges or silences, and the name a client gives on whose behalf.</summary>
    public const int MaxNameLength = 200;

    /// <summary>A silence's comment.</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>How long a silence may last, and how far ahead it may start.</summary>
    public static readonly TimeSpan MaxSilenceLength = TimeSpan.FromDays(365);

    /// <summary>Why <paramref name="value"/> is not a valid <paramref name="field"/> (the message names the field), or null when it is.</summary>
    /// <param name="multiline">Whether line breaks and tabs are allowed (a comment), or nothing but printable characters (a name).</param>
    public static string? Problem(string field, string value, int maxLength, bool multiline = false)
    {
        if (value.Length > maxLength)
        {
            return $"{field}: at most {maxLength} characters (was {value.Length})";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return $"{field}: control characters are not accepted (found U+{(int)c:X4})";
            }
        }

        return null;
    }

    /// <summary>The name a client gave on whose behalf it acts, trimmed, when it says something the author does not (null otherwise).</summary>
    /// <exception cref="ArgumentException">It is too long or holds control characters; the message names <paramref name="field"/>.</exception>
    public static string? OnBehalfOf(string? name, string author, string field)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || string.Equals(trimmed, author, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Problem(field, trimmed, MaxNameLength) is { } problem ? throw new ArgumentException(problem) : trimmed;
    }
}
