using Deliverability.Core.Configuration;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;

namespace Deliverability.Server.Domains;

/// <summary>
/// The rules a monitored domain keeps, each problem naming its field below the item (<c>DkimSelectors:1</c>): start-up
/// validation prefixes the item's key (<c>Monitor:Domains:0</c>) and the settings API shows them as JSON paths, so
/// configuration and the API refuse the same values with the same words.
/// </summary>
public static class MonitoredDomainRules
{
    /// <summary>More selectors or addresses than any sender uses: a bound on what one item may hold.</summary>
    public const int MaxListItems = 100;

    public static IEnumerable<FieldProblem> Problems(MonitoredDomain domain)
    {
        if (!DomainName.TryParse(domain.Name, out _, out var nameProblem))
        {
            yield return new("Name", nameProblem);
        }

        foreach (var problem in ListProblems("DkimSelectors", domain.DkimSelectors, selector => IsValidSelector(selector.Trim())
            ? null
            : $"'{Shown(selector)}' is not a valid DKIM selector (labels of letters, digits, '-' and '_')"))
        {
            yield return problem;
        }

        foreach (var problem in ListProblems("SendingIps", domain.SendingIps, ip => IpAddressText.IsValid(ip)
            ? null
            : $"'{Shown(ip)}' is not an IP address (IPv4 as a.b.c.d, or IPv6)"))
        {
            yield return problem;
        }

        if (!string.IsNullOrWhiteSpace(domain.ReturnPathDomain) && !DomainName.TryParse(domain.ReturnPathDomain, out _, out var returnPathProblem))
        {
            yield return new("ReturnPathDomain", returnPathProblem);
        }

        if (!string.IsNullOrWhiteSpace(domain.DkimSigningDomain) && !DomainName.TryParse(domain.DkimSigningDomain, out _, out var signingProblem))
        {
            yield return new("DkimSigningDomain", signingProblem);
        }
    }

    // A selector is one or more labels (RFC 6376 3.1) placed in front of _domainkey.
    public static bool IsValidSelector(string selector) =>
        selector.Length is > 0 and <= 63 * 3
        && DnsNames.IsQueryable(selector, out _)
        && selector.Split('.').All(label => !label.StartsWith('-') && !label.EndsWith('-') && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    private static IEnumerable<FieldProblem> ListProblems(string field, IReadOnlyList<string?> items, Func<string, string?> problemOf)
    {
        if (items.Count > MaxListItems)
        {
            yield return new(field, $"at most {MaxListItems} items (was {items.Count})");
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (problemOf(items[i] ?? "") is { } problem)
            {
                yield return new($"{field}:{i}", problem);
            }
        }
    }

    // The value is the client's own text: quoted cut short.
    private static string Shown(string value) => value.Length <= 100 ? value : $"{value[..100]}...";
}
