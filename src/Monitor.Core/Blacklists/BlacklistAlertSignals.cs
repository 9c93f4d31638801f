using System.Net;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts;
using Monitor.Core.Dns;
using Monitor.Core.Monitoring;

namespace Monitor.Core.Blacklists;

/// <summary>
/// The blacklist monitor's current listings for the <c>BlacklistListed</c> alert rule. Read from the stored state, which
/// only a definitive verdict of a self-tested list moves: a refusal, a timeout or a capped list never starts (or ends) an alert.
/// </summary>
public sealed class BlacklistAlertSignals(BlacklistStore store, IOptions<MonitorOptions> monitor, IOptions<BlacklistOptions> blacklists) : IAlertSignalSource
{
    // Resolved once: the zones come from options read at start, and signals are asked for every evaluation.
    private readonly Dictionary<string, BlacklistZone> _zones = ConfiguredZones(blacklists.Value);

    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var listed = await store.GetListedAsync(cancellationToken).ConfigureAwait(false);
        return listed
            .Select(s => (AlertSignal)new BlacklistListingSignal(
                s.Target,
                IPAddress.TryParse(s.Target, out _),
                s.Zone,
                s.StateSince ?? s.CheckedAt,
                OwningDomain(s.Target),
                s.Meaning,
                _zones.TryGetValue(s.Zone, out var zone) ? zone.DelistUrl : null))
            .ToArray();
    }

    private static Dictionary<string, BlacklistZone> ConfiguredZones(BlacklistOptions options)
    {
        try
        {
            return BlacklistConfiguration.Zones(options).ToDictionary(z => z.Name, StringComparer.OrdinalIgnoreCase);
        }
        catch (FormatException)
        {
            // Validated at start; without zones the signal only lacks its delisting link.
            return new Dictionary<string, BlacklistZone>(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>The configured sending domain a listed IP or domain belongs to, so the alert carries a <c>domain</c> label.</summary>
    private string? OwningDomain(string target)
    {
        var owner = monitor.Value.Domains.FirstOrDefault(d =>
            d.SendingIps.Any(ip => IPAddress.TryParse(ip.Trim(), out var address) && address.ToString() == target)
            || new[] { d.Name, d.ReturnPathDomain, d.DkimSigningDomain }.Any(n => !string.IsNullOrWhiteSpace(n) && DnsNames.Normalize(n) == target));
        return owner is null ? null : DnsNames.Normalize(owner.Name);
    }
}
