using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Dkim;

/// <summary>The one rule for a DKIM selector wherever one is typed: configuration, the settings API and page, the CLI.</summary>
public static class DkimSelector
{
    /// <summary>
    /// One or more labels (RFC 6376 3.1) of letters, digits, '-' and '_', none starting or ending with '-', that fit in
    /// front of <c>._domainkey.</c> in a queryable name.
    /// </summary>
    public static bool IsValid(string selector) =>
        selector.Length is > 0 and <= 63 * 3
        && DnsNames.IsQueryable(selector, out _)
        && selector.Split('.').All(label => !label.StartsWith('-') && !label.EndsWith('-') && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
}
