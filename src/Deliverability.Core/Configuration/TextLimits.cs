namespace Deliverability.Core.Configuration;

/// <summary>
/// The longest texts and lists a setting added in the dashboard or through the settings API may hold: they are stored
/// in columns of these lengths, and a refused value is never quoted back (it could be megabytes). Configuration is not
/// held to them: it is the operator's own file, not input from outside.
/// </summary>
public static class TextLimits
{
    /// <summary>A provider, send path or receiver name.</summary>
    public const int Name = 100;

    /// <summary>A DNS name (RFC 1035) or an IP address.</summary>
    public const int Host = 253;

    /// <summary>An email address (RFC 5321: 64 + 1 + 255), and a user name, which is often one.</summary>
    public const int Address = 320;

    /// <summary>A word from a short list: a security mode or a receiver type.</summary>
    public const int Word = 32;

    /// <summary>A password or a routing key (stored encrypted).</summary>
    public const int Secret = 1024;

    /// <summary>A webhook, Slack, Teams or PagerDuty address (stored encrypted).</summary>
    public const int Url = 2048;

    /// <summary>An IMAP folder name.</summary>
    public const int Folder = 255;

    /// <summary>Items of a list (folders, recipients).</summary>
    public const int ListItems = 50;

    /// <summary><paramref name="field"/>'s problem when <paramref name="value"/> is longer than <paramref name="max"/>; null otherwise.</summary>
    public static FieldProblem? TooLong(string field, string? value, int max) =>
        value is { Length: var length } && length > max ? new(field, $"is too long ({length} characters; at most {max})") : null;

    /// <summary><paramref name="field"/>'s problem when the list has more than <paramref name="max"/> items; null otherwise.</summary>
    public static FieldProblem? TooMany(string field, int count, int max) =>
        count > max ? new(field, $"has too many items ({count}; at most {max})") : null;

    /// <summary>The problems among <paramref name="checks"/>.</summary>
    public static IEnumerable<FieldProblem> Of(params FieldProblem?[] checks) => checks.OfType<FieldProblem>();
}
