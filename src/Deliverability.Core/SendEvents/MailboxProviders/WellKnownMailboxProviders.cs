namespace Deliverability.Core.SendEvents.MailboxProviders;

/// <summary>The mailbox providers known by their consumer domains and by their MX host names.</summary>
public static class WellKnownMailboxProviders
{
    private static readonly Dictionary<string, string> Domains = new(StringComparer.Ordinal)
    {
        ["gmail.com"] = "gmail", ["googlemail.com"] = "gmail",
        ["yahoo.com"] = "yahoo", ["yahoo.fr"] = "yahoo", ["yahoo.co.uk"] = "yahoo", ["yahoo.de"] = "yahoo", ["yahoo.es"] = "yahoo",
        ["yahoo.it"] = "yahoo", ["yahoo.co.jp"] = "yahoo", ["ymail.com"] = "yahoo", ["rocketmail.com"] = "yahoo",
        ["aol.com"] = "yahoo", ["aim.com"] = "yahoo", ["verizon.net"] = "yahoo",
        ["outlook.com"] = "outlook", ["hotmail.com"] = "outlook", ["hotmail.fr"] = "outlook", ["hotmail.co.uk"] = "outlook",
        ["hotmail.de"] = "outlook", ["hotmail.it"] = "outlook", ["hotmail.es"] = "outlook", ["live.com"] = "outlook",
        ["live.fr"] = "outlook", ["live.co.uk"] = "outlook", ["msn.com"] = "outlook", ["outlook.fr"] = "outlook", ["outlook.de"] = "outlook",
        ["icloud.com"] = "apple", ["me.com"] = "apple", ["mac.com"] = "apple",
        ["orange.fr"] = "orange", ["wanadoo.fr"] = "orange",
        ["gmx.de"] = "gmx", ["gmx.net"] = "gmx", ["gmx.com"] = "gmx", ["gmx.at"] = "gmx", ["gmx.ch"] = "gmx", ["gmx.fr"] = "gmx", ["web.de"] = "gmx",
        ["t-online.de"] = "t-online",
        ["free.fr"] = "free", ["sfr.fr"] = "sfr", ["laposte.net"] = "laposte",
        ["mail.ru"] = "mailru", ["yandex.ru"] = "yandex", ["yandex.com"] = "yandex",
        ["proton.me"] = "proton", ["protonmail.com"] = "proton",
        ["comcast.net"] = "comcast", ["libero.it"] = "libero", ["seznam.cz"] = "seznam", ["zoho.com"] = "zoho",
    };

    // Host name suffixes of MX records, most specific first.
    private static readonly (string Suffix, string Provider)[] MxHosts =
    [
        ("google.com", "gmail"), ("googlemail.com", "gmail"),
        ("yahoodns.net", "yahoo"),
        ("protection.outlook.com", "outlook"), ("outlook.com", "outlook"), ("hotmail.com", "outlook"),
        ("icloud.com", "apple"), ("me.com", "apple"),
        ("orange.fr", "orange"), ("gmx.net", "gmx"), ("web.de", "gmx"), ("t-online.de", "t-online"),
        ("free.fr", "free"), ("sfr.fr", "sfr"), ("laposte.net", "laposte"),
        ("mail.ru", "mailru"), ("yandex.net", "yandex"), ("yandex.ru", "yandex"), ("protonmail.ch", "proton"),
        ("comcast.net", "comcast"), ("zoho.com", "zoho"), ("zoho.eu", "zoho"),
    ];

    /// <summary>The provider of a well-known consumer domain, or null.</summary>
    public static string? OfDomain(string domain) => Domains.GetValueOrDefault(domain);

    /// <summary>The provider that runs the MX host <paramref name="host"/>, or null.</summary>
    public static string? OfMxHost(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        foreach (var (suffix, provider) in MxHosts)
        {
            if (name == suffix || name.EndsWith("." + suffix, StringComparison.Ordinal))
            {
                return provider;
            }
        }

        return null;
    }
}
