using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Deliverability.Core.MessageChecks.Mailbox;

/// <summary>
/// The tagged addresses of the check mailbox: <c>checks+TAG@example.com</c> for <c>checks@example.com</c>, the tag 16
/// random lower-case letters and digits, so one message can be told from another and no one can guess a tag.
/// </summary>
public static partial class CheckAddress
{
    public const int TagLength = 16;

    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string NewTag() => RandomNumberGenerator.GetString(Alphabet, TagLength);

    public static bool IsTag(string? text) => text is { Length: TagLength } && text.All(Alphabet.Contains);

    /// <summary><paramref name="mailbox"/> with <paramref name="tag"/> after a <c>+</c> in its local part.</summary>
    public static string For(string mailbox, string tag)
    {
        var at = mailbox.Trim().LastIndexOf('@');
        return $"{mailbox.Trim()[..at]}+{tag}@{mailbox.Trim()[(at + 1)..]}";
    }

    /// <summary>The tags of <paramref name="mailbox"/> found in a header's text (To, Delivered-To, ...); bounded in length.</summary>
    public static IEnumerable<string> TagsIn(string mailbox, string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            yield break;
        }

        var at = mailbox.Trim().LastIndexOf('@');
        var local = mailbox.Trim()[..at];
        var domain = mailbox.Trim()[(at + 1)..];
        foreach (Match match in TaggedAddress().Matches(header.Length > 4096 ? header[..4096] : header))
        {
            if (string.Equals(match.Groups["local"].Value, local, StringComparison.OrdinalIgnoreCase)
                && string.Equals(match.Groups["domain"].Value, domain, StringComparison.OrdinalIgnoreCase))
            {
                yield return match.Groups["tag"].Value.ToLowerInvariant();
            }
        }
    }

    [GeneratedRegex(@"(?<local>[A-Za-z0-9._%-]{1,64})\+(?<tag>[A-Za-z0-9]{16})@(?<domain>[A-Za-z0-9.-]{1,253})", RegexOptions.NonBacktracking)]
    private static partial Regex TaggedAddress();
}
