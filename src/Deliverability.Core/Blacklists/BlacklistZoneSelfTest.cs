using System.Net;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Blacklists;

/// <summary>How a zone did in its RFC 5782 self-test. Only <see cref="Healthy"/> zones' verdicts are trusted.</summary>
public enum BlacklistZoneHealthStatus
{
    /// <summary>The test point is listed and the not-listed point is not.</summary>
    Healthy,

    /// <summary>The zone answers wrongly: it lists 127.0.0.1/INVALID (a wildcard listing everything) or does not list its test point.</summary>
    Unhealthy,

    /// <summary>The zone refused the test queries (a refusal code or REFUSED): the resolver is probably blocked.</summary>
    Refused,

    /// <summary>The test queries failed (timeout, SERVFAIL, a non-127 answer): health unknown for now.</summary>
    Unreachable,

    /// <summary>The zone's daily query cap is reached: it was not tested (nor asked) today.</summary>
    Capped,
}

/// <summary>The outcome of a zone's self-test, with a reason a person understands.</summary>
public sealed record BlacklistZoneHealth(BlacklistZone Zone, BlacklistZoneHealthStatus Status, string Reason)
{
    public bool IsTrusted => Status == BlacklistZoneHealthStatus.Healthy;
}

/// <summary>
/// RFC 5782 section 5 self-test: an IP zone must list 127.0.0.2 (and <c>::FFFF:7F00:2</c> when it answers IPv6)
/// and must not list 127.0.0.1 (<c>::FFFF:7F00:1</c>); a domain zone must list <c>TEST</c> and must not list
/// <c>INVALID</c>. A zone that lists the negative point answers "listed" for everything and its verdicts are worthless.
/// </summary>
public static class BlacklistZoneSelfTest
{
    /// <summary>Runs the probes of <paramref name="zone"/> concurrently; IPv6 probes only when <paramref name="includeIpv6"/> and the zone answers IPv6.</summary>
    public static async Task<BlacklistZoneHealth> RunAsync(IDnsResolver dns, BlacklistZone zone, bool includeIpv6 = false, CancellationToken cancellationToken = default)
    {
        var probes = Probes(zone, includeIpv6);
        var responses = await Task.WhenAll(probes.Select(p => dns.QueryAsync(p.Target.QueryName(zone), DnsRecordType.A, cancellationToken)));

        var outcomes = probes.Zip(responses, (probe, response) => (probe, response, verdict: BlacklistChecker.Decode(zone, probe.Target, response)));
        foreach (var (probe, response, verdict) in outcomes)
        {
            var point = $"{probe.Target.Text} ({response.Name})";
            switch (verdict.Status)
            {
                case BlacklistStatus.Listed when !probe.MustBeListed:
                    return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Unhealthy,
                        $"{zone.DisplayName} lists {point}, which must never be listed (RFC 5782): it answers 'listed' for everything, so its verdicts are not trusted");
                case BlacklistStatus.NotListed when probe.MustBeListed:
                    return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Unhealthy,
                        $"{zone.DisplayName} does not list its test point {point} (RFC 5782): the zone is not served as a block list (wrong name, or shut down), so 'not listed' means nothing");
                case BlacklistStatus.Refused:
                    return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Refused, $"{zone.DisplayName} refused its self-test query {point}: {verdict.Message}");
                case BlacklistStatus.Error:
                    return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Unreachable, $"{zone.DisplayName} self-test query {point} failed: {verdict.Message}");
            }
        }

        return new BlacklistZoneHealth(zone, BlacklistZoneHealthStatus.Healthy, $"{zone.DisplayName} passed its RFC 5782 self-test");
    }

    private static List<(BlacklistTarget Target, bool MustBeListed)> Probes(BlacklistZone zone, bool includeIpv6)
    {
        if (zone.Kind == BlacklistZoneKind.Domain)
        {
            // "test" and "invalid" are single labels, so they bypass the target parser's two-label rule.
            return [(BlacklistTarget.ForTestName("test"), true), (BlacklistTarget.ForTestName("invalid"), false)];
        }

        var probes = new List<(BlacklistTarget, bool)>
        {
            (BlacklistTarget.ForAddress(IPAddress.Parse("127.0.0.2")), true),
            (BlacklistTarget.ForAddress(IPAddress.Parse("127.0.0.1")), false),
        };
        if (includeIpv6 && zone.SupportsIpv6)
        {
            // Built from bytes: IPAddress.Parse would read ::FFFF:7F00:2 as IPv4-mapped and the target would map it back to IPv4.
            probes.Add((BlacklistTarget.ForIpv6TestPoint(2), true));
            probes.Add((BlacklistTarget.ForIpv6TestPoint(1), false));
        }

        return probes;
    }
}
