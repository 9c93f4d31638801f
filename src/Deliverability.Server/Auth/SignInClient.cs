using System.Net;
using System.Net.Sockets;

namespace Deliverability.Server.Auth;

/// <summary>
/// The client a sign-in attempt is counted against: its IPv4 address, or the /64 network of an IPv6 address (one
/// subscriber usually holds a whole /64, so counting single IPv6 addresses would count nothing). Behind a reverse proxy
/// this is the address the proxy reports, once the proxy is listed in <c>ForwardedHeaders</c>.
/// </summary>
public static class SignInClient
{
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
