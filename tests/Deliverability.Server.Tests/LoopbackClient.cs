using System.Net;
using System.Net.Sockets;

namespace Deliverability.Server.Tests;

/// <summary>
/// Clients of a service started with <see cref="MonitorApplication.StartOnKestrel"/> that connect FROM a chosen loopback
/// address. On Linux all of 127.0.0.0/8 is loopback, so one test can be several clients as the service sees them
/// (127.0.0.1 a proxy or the administrator, 127.0.0.2 someone else).
/// </summary>
internal static class LoopbackClient
{
    /// <summary>A client that follows no redirect and sends no API key; with its own cookies unless <paramref name="handleCookies"/> is false.</summary>
    public static HttpClient From(string sourceAddress, Uri service, bool handleCookies = true)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = handleCookies,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = service };
    }
}
