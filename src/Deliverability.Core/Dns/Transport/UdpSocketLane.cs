using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Dns.Wire;

namespace Deliverability.Core.Dns.Transport;

/// <summary>How one exchange ended.</summary>
internal enum ExchangeOutcome
{
    /// <summary>A message that answers the query arrived; its bytes are in a buffer rented from the shared pool.</summary>
    Answered,

    TimedOut,

    /// <summary>The network said no (connection refused, unreachable): a failure of that server, not of the name.</summary>
    Failed,
}

/// <summary>The result of one exchange. The receiver of an <see cref="ExchangeOutcome.Answered"/> reply returns <see cref="Buffer"/> to <see cref="ArrayPool{T}.Shared"/>.</summary>
internal readonly record struct ExchangeReply(ExchangeOutcome Outcome, byte[]? Buffer, int Length, string? Error)
{
    public static readonly ExchangeReply TimedOut = new(ExchangeOutcome.TimedOut, null, 0, null);

    public static ExchangeReply Failed(string error) => new(ExchangeOutcome.Failed, null, 0, error);
}

/// <summary>A query waiting on a lane. Whoever removes it from the lane's table (the answer, the timeout sweep, a cancellation) completes it.</summary>
internal sealed class PendingUdpQuery(UdpSocketLane lane, ushort id, ReadOnlyMemory<byte> query, long deadline)
    : TaskCompletionSource<ExchangeReply>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public UdpSocketLane Lane { get; } = lane;

    public ushort Id { get; } = id;

    /// <summary>The query as sent: the answer must repeat its id and question.</summary>
    public ReadOnlyMemory<byte> Query { get; } = query;

    public long Deadline { get; } = deadline;

    public void Cancel()
    {
        if (Lane.Withdraw(this))
        {
            TrySetCanceled();
        }
    }
}

/// <summary>
/// One connected UDP socket on a random source port, with a receive loop that hands each datagram to the query it
/// answers (by id and question; anything else is dropped). It carries many queries at once and is retired after a
/// fixed number, so that the source port keeps changing (RFC 5452 section 9.2); it closes when its last query ends.
/// </summary>
internal sealed class UdpSocketLane
{
    // Datagrams are read whole: a server that ignores the EDNS size still cannot cut an answer short.
    private const int ReceiveBufferSize = 65_535;

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<ushort, PendingUdpQuery> _pending = new();
    private readonly string _server;
    private int _users;
    private int _queriesLeft;
    private volatile bool _retired;
    private long _lastUsed;

    private UdpSocketLane(Socket socket, string server, int queries)
    {
        _socket = socket;
        _server = server;
        _queriesLeft = queries;
        _lastUsed = Stopwatch.GetTimestamp();
    }

    public bool IsClosed => Volatile.Read(ref _users) < 0;

    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>Opens a socket on a port the kernel picks at random and connects it, so only the server's datagrams reach it.</summary>
    public static UdpSocketLane Open(IPEndPoint server, int queries)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(server);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var lane = new UdpSocketLane(socket, server.ToString(), queries);
        _ = lane.ReceiveLoopAsync();
        return lane;
    }

    /// <summary>Takes a share of the lane for one query; false when it has closed.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var users = Volatile.Read(ref _users);
            if (users < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _users, users + 1, users) == users)
            {
                return true;
            }
        }
    }

    /// <summary>Counts one query against the lane's budget; true when that was the last one and the lane must be replaced.</summary>
    public bool SpendQuery() => Interlocked.Decrement(ref _queriesLeft) == 0;

    public void Exit()
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        if (Interlocked.Decrement(ref _users) == 0 && _retired)
        {
            TryClose();
        }
    }

    /// <summary>No new query may use the lane; it closes as soon as its queries have ended.</summary>
    public void Retire()
    {
        _retired = true;
        TryClose();
    }

    /// <summary>Sends <paramref name="query"/> under a fresh random id and waits for its answer until <paramref name="deadline"/>.</summary>
    public async ValueTask<ExchangeReply> ExchangeAsync(Memory<byte> query, long deadline, CancellationToken cancellationToken)
    {
        PendingUdpQuery pending;
        do
        {
            var id = QueryIds.Next();
            BinaryPrimitives.WriteUInt16BigEndian(query.Span, id);
            pending = new PendingUdpQuery(this, id, query, deadline);
        }
        while (!_pending.TryAdd(pending.Id, pending));

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((PendingUdpQuery)state!).Cancel(), pending)
            : default;
        try
        {
            await _socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            Withdraw(pending);
            return ExchangeReply.Failed($"{_server} cannot be reached ({ex.SocketErrorCode})");
        }
        catch (OperationCanceledException)
        {
            Withdraw(pending);
            throw;
        }

        return await pending.Task.ConfigureAwait(false);
    }

    /// <summary>Removes a query from the table; true when the caller now owns its completion.</summary>
    public bool Withdraw(PendingUdpQuery pending) => _pending.TryRemove(KeyValuePair.Create(pending.Id, pending));

    /// <summary>Ends every query whose deadline has passed as timed out: a late answer then finds nobody waiting and is dropped.</summary>
    public void ExpireDue(long now)
    {
        foreach (var (_, pending) in _pending)
        {
            if (pending.Deadline <= now && Withdraw(pending))
            {
                pending.TrySetResult(ExchangeReply.TimedOut);
            }
        }
    }

    private void TryClose()
    {
        if (Interlocked.CompareExchange(ref _users, -1, 0) == 0)
        {
            _socket.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable: nothing listens there. Every query waiting on this lane went to that port.
                    FailAll($"{_server} refused the query (nothing listens on that port)");
                    continue;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.MessageSize)
                {
                    continue;
                }

                Dispatch(buffer.AsSpan(0, length));
            }
        }
        catch (ObjectDisposedException)
        {
            // retired and closed
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown)
        {
            // closed while a receive was pending
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            FailAll($"the socket to {_server} closed");
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < DnsHeader.Length
            || !_pending.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(datagram), out var pending)
            || !DnsResponseDecoder.Answers(datagram, pending.Query.Span)
            || !Withdraw(pending))
        {
            return; // late (its query timed out), spoofed, or garbage that names no query of ours
        }

        var copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(copy);
        if (!pending.TrySetResult(new ExchangeReply(ExchangeOutcome.Answered, copy, datagram.Length, null)))
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private void FailAll(string error)
    {
        foreach (var (_, pending) in _pending)
        {
            if (Withdraw(pending))
            {
                pending.TrySetResult(ExchangeReply.Failed(error));
            }
        }
    }
}
