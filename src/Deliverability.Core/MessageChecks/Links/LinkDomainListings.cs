using Deliverability.Core.Audits;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.PublicSuffix;

namespace Deliverability.Core.MessageChecks.Links;

/// <summary>One link or image domain on one URI block list.</summary>
/// <param name="Status">listed, not_listed, refused or error, as the blacklist engine says.</param>
public sealed record LinkDomainVerdict(string Domain, string Zone, string Status, string Message, string? DelistUrl);

/// <summary>
/// Asks the URI block lists (Spamhaus DBL, SURBL, URIBL by default) about the domains the message links to and loads
/// images from, with the blacklist engine (self-tested zones, so a refused query is never a listing). Each host is
/// asked by its registered domain, which is what the lists list.
/// </summary>
public sealed class LinkDomainListings(IDnsResolver dns, IReadOnlyList<BlacklistZone>? zones = null, PublicSuffixList? publicSuffixes = null)
{
    /// <summary>The URI block lists asked by default.</summary>
    public static IReadOnlyList<BlacklistZone> DefaultZones { get; } = [BlacklistZones.SpamhausDbl, BlacklistZones.Surbl, BlacklistZones.Uribl];

    private readonly IReadOnlyList<BlacklistZone> _zones = zones ?? DefaultZones;
    private readonly PublicSuffixList _publicSuffixes = publicSuffixes ?? PublicSuffixList.Default;

    public async Task<(IReadOnlyList<LinkDomainVerdict> Verdicts, IReadOnlyList<Finding> Findings)> CheckAsync(IEnumerable<string> hosts, CancellationToken cancellationToken = default)
    {
        var domains = hosts
            .Select(h => _publicSuffixes.RegistrableDomain(h) ?? h)
            .Where(DomainName.IsValid)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var findings = new List<Finding>();
        if (domains.Count > MessageLimits.MaxLinkDomains)
        {
            findings.Add(Finding.Warning("message.links.too_many_domains", $"The message links to {domains.Count} domains; the first {MessageLimits.MaxLinkDomains} were checked on the block lists.",
                "Link to fewer domains: every extra domain is one more reputation the message depends on."));
            domains = domains.Take(MessageLimits.MaxLinkDomains).ToList();
        }

        if (domains.Count == 0 || _zones.Count == 0)
        {
            return ([], findings);
        }

        var report = await new BlacklistChecker(dns).CheckAsync(domains.Select(d => BlacklistTarget.ForDomain(DomainName.Parse(d))), _zones, cancellationToken).ConfigureAwait(false);
        var verdicts = report.Verdicts
            .Select(v => new LinkDomainVerdict(v.Target.Text, v.Zone.DisplayName, v.StatusWord, v.Message, v.DelistUrl))
            .ToList();

        foreach (var listed in report.Verdicts.Where(v => v.Status == BlacklistStatus.Listed))
        {
            findings.Add(Finding.Error("message.links.listed", $"The message links to {listed.Target.Text}, which is listed on {listed.Zone.DisplayName} ({listed.Meaning}): filters reject or junk mail that carries it.",
                listed.DelistUrl is null ? $"Remove the links to {listed.Target.Text}, or have it delisted." : $"Remove the links to {listed.Target.Text}, or have it delisted: {listed.DelistUrl}.") with { Subject = listed.Target.Text });
        }

        foreach (var zone in report.Zones.Where(z => !z.IsTrusted))
        {
            findings.Add(Finding.Warning("message.links.list_unchecked", $"The link domains could not be checked on {zone.Zone.DisplayName}: {zone.Reason}.",
                "Query the block lists through a resolver of your own that may ask them (Dns:NameServers), then check again.") with { Subject = zone.Zone.Name });
        }

        return (verdicts, findings);
    }
}
