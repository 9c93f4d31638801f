using System.Globalization;
using System.Text.RegularExpressions;

namespace Deliverability.Core.SendEvents.Sources;

/// <summary>The SMTP code and enhanced status in a provider's diagnostic text, and the kind of failure they mean.</summary>
public static partial class SmtpReply
{
    /// <summary>The reply code at the start of <paramref name="text"/> ("550 5.1.1 ..."), or after "smtp;" (SES diagnostic codes).</summary>
    public static int? Code(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var m = CodePattern().Match(text.Length > 200 ? text[..200] : text);
        return m.Success ? int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The first enhanced status code (RFC 3463) in <paramref name="text"/>, e.g. "5.7.1".</summary>
    public static string? EnhancedStatus(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var m = EnhancedPattern().Match(text.Length > 300 ? text[..300] : text);
        return m.Success ? m.Value : null;
    }

    /// <summary>
    /// A failure's kind: a permanent refusal for policy or reputation (5.7.x, or words that say so) is a block; another
    /// permanent failure a hard bounce; a temporary one a deferral when the sender retries it, else a soft bounce.
    /// </summary>
    public static SendEventKind Failure(bool permanent, int? code, string? enhanced, string? text, bool retried = false)
    {
        permanent = permanent || code >= 500 || enhanced?.StartsWith('5') == true;
        if (!permanent)
        {
            return retried ? SendEventKind.Deferred : SendEventKind.SoftBounce;
        }

        return IsBlock(enhanced, text) ? SendEventKind.Blocked : SendEventKind.HardBounce;
    }

    /// <summary>5.7.x, or words of policy, reputation or spam.</summary>
    public static bool IsBlock(string? enhanced, string? text)
    {
        if (enhanced is { Length: >= 3 } && enhanced[0] == '5' && enhanced[2] == '7')
        {
            return true;
        }

        return text is not null && BlockWords().IsMatch(text.Length > 500 ? text[..500] : text);
    }

    [GeneratedRegex(@"(?:^|smtp;\s*)(?<code>[245]\d\d)(?:[ -]|$)", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.NonBacktracking)]
    private static partial Regex EnhancedPattern();

    [GeneratedRegex(@"\b(blocked|block list|blocklist|blacklist|spamhaus|reputation|policy|rejected due to|spam|TSS0\d|S3150)", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase)]
    private static partial Regex BlockWords();
}
