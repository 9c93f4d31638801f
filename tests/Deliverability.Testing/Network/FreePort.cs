using System.Net;
using System.Net.Sockets;

namespace Deliverability.Testing.Network;

/// <summary>
/// Ports on 127.0.0.1 that nothing listens on at this moment, for the real servers the tests start (and for addresses
/// of a server that is down). The operating system picks them, so tests running in parallel do not collide.
/// </summary>
public static class FreePort
{
    /// <summary>A free TCP port.</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port free for both UDP and TCP (a DNS server binds both).</summary>
    public static int UdpAndTcp()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }

        throw new InvalidOperationException("No port on 127.0.0.1 is free for both UDP and TCP.");
    }
}
