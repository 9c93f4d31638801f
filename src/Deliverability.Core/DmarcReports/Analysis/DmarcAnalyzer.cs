using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;

namespace Deliverability.Core.DmarcReports.Analysis;

/// <summary>
/// What the reports say per domain: per UTC day the messages, DMARC pass rate, SPF- and DKIM-aligned rates and
/// dispositions; per source IP its identity and class; and the policy readiness verdict. Read from <c>dmarc_daily</c>.
/// </summary>
public sealed class DmarcAnalyzer(StoredReports reports, SourceIdentifier identifier, MonitoredDomainCatalog domains, TimeProvider time)
{
    /// <summary>At most this many sources are identified (DNS) per request; the rest are listed by volume without a name.</summary>
    public const int MaxIdentified = 200;

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyList<DmarcDomainSummary>> DomainsAsync(int days, CancellationToken cancellationToken)
    {
        var counts = await reports.DailyAsync(null, Today.AddDays(-days + 1), Today, cancellationToken).ConfigureAwait(false);
        return [.. counts.GroupBy(c => c.Domain, StringComparer.OrdinalIgnoreCase)
            .Select(g => new DmarcDomainSummary(g.Key, DmarcRates.Of(g), g.Max(c => c.Day), g.Select(c => c.SourceIp).Distinct().Count()))
            .OrderBy(d => d.Domain, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<DmarcDay>> DailyAsync(string domain, int days, CancellationToken cancellationToken)
    {
        var counts = await reports.DailyAsync(Normal(domain), Today.AddDays(-days + 1), Today, cancellationToken).ConfigureAwait(false);
        return [.. counts.GroupBy(c => c.Day).OrderBy(g => g.Key).Select(g => new DmarcDay(g.Key, DmarcRates.Of(g)))];
    }

    public async Task<IReadOnlyList<DmarcSource>> SourcesAsync(string domain, int days, CancellationToken cancellationToken)
    {
        var name = Normal(domain);
        var counts = await reports.DailyAsync(name, Today.AddDays(-days + 1), Today, cancellationToken).ConfigureAwait(false);
        return await SourcesOfAsync(name, counts, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PolicyReadiness> ReadinessAsync(string domain, PolicyReadinessOptions options, CancellationToken cancellationToken)
    {
        var sources = await SourcesAsync(domain, options.Days, cancellationToken).ConfigureAwait(false);
        return PolicyReadiness.Judge(Normal(domain), sources, options);
    }

    /// <summary>The sources of <paramref name="counts"/> (one domain's), most messages first, identified and classified.</summary>
    public async Task<IReadOnlyList<DmarcSource>> SourcesOfAsync(string domain, IReadOnlyList<DailyCount> counts, CancellationToken cancellationToken)
    {
        var configured = await ConfiguredIpsAsync(domain, cancellationToken).ConfigureAwait(false);
        var groups = counts.GroupBy(c => c.SourceIp, StringComparer.Ordinal).OrderByDescending(g => g.Sum(c => c.Messages)).ToList();
        var sources = new List<DmarcSource>(groups.Count);
        foreach (var (group, index) in groups.Select((g, i) => (g, i)))
        {
            var identity = index < MaxIdentified
                ? await identifier.IdentifyAsync(domain, group.Key, configured, cancellationToken).ConfigureAwait(false)
                : new SourceIdentity(null, null, null);
            var rates = DmarcRates.Of(group);
            sources.Add(new DmarcSource(group.Key, rates, group.Min(c => c.Day), group.Max(c => c.Day), identity, Classify(rates, identity.KnownService is not null)));
        }

        return sources;
    }

    /// <summary>
    /// A known source is aligned when most of its mail passes, else failing; an unknown one is forwarded when its mail is
    /// mostly DKIM aligned without SPF (a relay keeps the signature, not the IP), aligned when it passes anyway, else unknown.
    /// </summary>
    public static SourceClass Classify(DmarcRates rates, bool known)
    {
        var pass = rates.PassRate ?? 0;
        if (known)
        {
            return pass >= 0.5 ? SourceClass.Aligned : SourceClass.FailingKnownSource;
        }

        if ((rates.DkimRate ?? 0) >= 0.5 && (rates.SpfRate ?? 0) < 0.5)
        {
            return SourceClass.Forwarded;
        }

        return pass >= 0.5 ? SourceClass.Aligned : SourceClass.UnknownSource;
    }

    /// <summary>The sending IPs configured for the domain (or its organisational parent when the reports are for it).</summary>
    public async Task<IReadOnlyCollection<string>> ConfiguredIpsAsync(string domain, CancellationToken cancellationToken)
    {
        var all = await domains.GetAllAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(d => string.Equals(d.Name.Ascii, domain, StringComparison.OrdinalIgnoreCase)).SelectMany(d => d.Domain.SendingIps)];
    }

    private static string Normal(string domain) => DomainName.TryParse(domain, out var name, out _) ? name.Ascii : domain.Trim().ToLowerInvariant();
}
