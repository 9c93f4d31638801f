using System.Net;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;

namespace Deliverability.Core.Blacklists;

/// <summary>
/// The blacklist monitor's current listings for the <c>BlacklistListed</c> alert rule. Read from the stored state, which
/// only a definitive verdict of a self-tested list moves: a refusal, a timeout or a capped list never starts (or ends) an alert.
/// </summary>
/// <remarks>
/// Asked on every evaluation (every 15 s): only the listed rows are read, the zones are resolved once (their options are
/// read at start), and the owning domains come from the in-memory <see cref="BlacklistTargets"/>.
/// </remarks>
public sealed class BlacklistAlertSignals(BlacklistStore store, BlacklistTargets targets, IOptions<BlacklistOptions> blacklists) : IAlertSignalSource
{
    private readonly Dictionary<string, BlacklistZone> _zones = ConfiguredZones(blacklists.Value);

    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        // After a start, the domains added from the dashboard are read once, so their listings keep their domain label.
        await targets.EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var listed = await store.GetListedAsync(cancellationToken).ConfigureAwait(false);
        return listed
            .Select(s => (AlertSignal)new BlacklistListingSignal(
                s.Target,
                IPAddress.TryParse(s.Target, out _),
                s.Zone,
                s.StateSince ?? s.CheckedAt,
                targets.OwnerOf(s.Target),
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
}
