using System.Buffers;
using System.Globalization;
using System.Text;

namespace Deliverability.Server.Auth;

/// <summary>
/// What an API key may be called. The name is shown in lists, logs and terminals, so it holds no control or formatting
/// characters (NUL, ESC sequences, line breaks, direction marks) and no broken UTF-16, and it stays short.
/// </summary>
public static class ApiKeyName
{
    public const int MaxLength = 100;

    /// <summary>Why <paramref name="name"/> cannot name a key, or null when it can (after trimming).</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the key a name (who or what uses it).";
        }

        var trimmed = name.Trim();
        if (trimmed.Length > MaxLength)
        {
            return $"At most {MaxLength} characters (was {trimmed.Length}).";
        }

        return HasHiddenCharacter(trimmed)
            ? "The name must not contain control or formatting characters (line breaks, tabs, escape sequences, direction marks)."
            : null;
    }

    private static bool HasHiddenCharacter(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return true; // a lone surrogate
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return true;
            }

            rest = rest[used..];
        }

        return false;
    }
}
