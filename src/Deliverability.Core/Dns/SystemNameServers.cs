using System.Net;
using DnsClient;

namespace Deliverability.Core.Dns;

/// <summary>
/// The name servers the machine is configured with. DnsClient reads them from <c>/etc/resolv.conf</c> on Linux and
/// from the network interfaces elsewhere; that discovery is what the library still does for us (the queries themselves
/// go through <see cref="DnsStubResolver"/>).
/// </summary>
public static class SystemNameServers
{
    public static IReadOnlyList<IPEndPoint> Resolve()
    {
        try
        {
            return [.. NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
                .Select(server => IPAddress.TryParse(server.Address, out var address) ? new IPEndPoint(address, server.Port) : null)
                .OfType<IPEndPoint>()
                .Distinct()];
        }
        catch (Exception ex) when (ex is DnsClient.DnsResponseException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
