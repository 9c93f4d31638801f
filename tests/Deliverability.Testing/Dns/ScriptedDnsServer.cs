using System.Net;
using System.Net.Sockets;

namespace Deliverability.Testing.Dns;

/// <summary>
/// A UDP DNS server on 127.0.0.1 that answers each query with whatever bytes the test's script sends: well-formed
/// answers under a wrong id, late answers, or garbage (see <see cref="DnsPackets"/>). For the resolver's defences,
/// which a real name server never exercises.
/// </summary>
public sealed class ScriptedDnsServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<ScriptedQuery, Task> _script;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _queries;

    private ScriptedDnsServer(Func<ScriptedQuery, Task> script)
    {
        _script = script;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _loop = Task.Run(ReceiveAsync);
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, the form <c>Dns:NameServers</c> takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public int QueryCount => Volatile.Read(ref _queries);

    /// <summary>Starts a server that runs <paramref name="script"/> for each query received (concurrently).</summary>
    public static ScriptedDnsServer Start(Func<ScriptedQuery, Task> script) => new(script);

    /// <summary>Starts a server that answers every query with <paramref name="reply"/>(query bytes).</summary>
    public static ScriptedDnsServer Answering(Func<byte[], byte[]> reply) => new(query => query.SendAsync(reply(query.Message)));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65_535];
        while (!_stopping.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stopping.Token);
            var number = Interlocked.Increment(ref _queries);
            var query = new ScriptedQuery(number, buffer.AsSpan(0, received.ReceivedBytes).ToArray(), received.RemoteEndPoint, _socket, _stopping.Token);
            _ = Task.Run(() => _script(query));
        }
    }
}

/// <summary>One query the scripted server received, and the way back to its sender.</summary>
/// <param name="Number">1 for the first query the server received, 2 for the next, ...</param>
public sealed record ScriptedQuery(int Number, byte[] Message, EndPoint From, Socket Socket, CancellationToken Stopping)
{
    public ushort Id => (ushort)((Message[0] << 8) | Message[1]);

    public async Task SendAsync(byte[] datagram)
    {
        try
        {
            await Socket.SendToAsync(datagram, SocketFlags.None, From, Stopping);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // the server is stopping
        }
    }
}
