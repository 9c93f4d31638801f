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
    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var states = await store.GetStatesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var zones = ConfiguredZones();
        return states
            .Where(s => s.State == BlacklistEventRow.Listed)
            .Select(s => (AlertSignal)new BlacklistListingSignal(
                s.Target,
                IPAddress.TryParse(s.Target, out _),
                s.Zone,
                s.StateSince ?? s.CheckedAt,
                OwningDomain(s.Target),
                s.Meaning,
                zones.TryGetValue(s.Zone, out var zone) ? zone.DelistUrl : null))
            .ToArray();
    }

    private Dictionary<string, BlacklistZone> ConfiguredZones()
    {
        try
        {
            return BlacklistConfiguration.Zones(blacklists.Value).ToDictionary(z => z.Name, StringComparer.OrdinalIgnoreCase);
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
