using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.Dns.Transport;

/// <summary>
/// The UDP sockets kept open to one name server: a few lanes, each query on one picked at random. Opening a socket per
/// query (what DnsClient does) cost most of the client's CPU in the audit benchmark; keeping them removes that, and
/// replacing each lane after <see cref="QueriesPerLane"/> queries keeps source ports unpredictable. Lanes idle for
/// <see cref="IdleClose"/> close, and the timeout sweep stops when none is open, so an unused pool holds nothing.
/// </summary>
internal sealed class UdpSocketPool : IDisposable
{
    public const int LaneCount = 4;
    public const int QueriesPerLane = 256;
    private static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint _server;
    private readonly UdpSocketLane?[] _lanes = new UdpSocketLane?[LaneCount];
    private readonly List<UdpSocketLane> _open = [];
    private readonly Lock _gate = new();
    private readonly Timer _sweep;
    private readonly TimeSpan _sweepInterval;
    private bool _sweeping;
    private bool _disposed;

    public UdpSocketPool(IPEndPoint server, TimeSpan timeout)
    {
        _server = server;
        // Timeouts are noticed within a tenth of the timeout (at most 100 ms late), by one timer for all queries.
        _sweepInterval = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 10, 5, 100));
        _sweep = new Timer(static state => ((UdpSocketPool)state!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public IPEndPoint Server => _server;

    /// <summary>One query over UDP: sent on a random lane under a fresh id, answered, timed out, or failed by the network.</summary>
    public async ValueTask<ExchangeReply> ExchangeAsync(Memory<byte> query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        UdpSocketLane lane;
        try
        {
            lane = EnterLane();
        }
        catch (SocketException ex)
        {
            return ExchangeReply.Failed($"no socket to {_server} ({ex.SocketErrorCode})");
        }

        try
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            return await lane.ExchangeAsync(query, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lane.Exit();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sweep.Dispose();
            foreach (var lane in _open)
            {
                lane.Retire();
            }

            _open.Clear();
            Array.Clear(_lanes);
        }
    }

    private UdpSocketLane EnterLane()
    {
        var slot = Random.Shared.Next(LaneCount);
        var lane = Volatile.Read(ref _lanes[slot]);
        if (lane is null || !lane.TryEnter())
        {
            lane = OpenLane(slot);
        }

        if (lane.SpendQuery())
        {
            // Its budget is spent: the next query on this slot gets a new socket (a new source port).
            Interlocked.CompareExchange(ref _lanes[slot], null, lane);
            lane.Retire();
        }

        return lane;
    }

    private UdpSocketLane OpenLane(int slot)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var lane = _lanes[slot];
            if (lane is not null && lane.TryEnter())
            {
                return lane;
            }

            lane = UdpSocketLane.Open(_server, QueriesPerLane);
            lane.TryEnter();
            _lanes[slot] = lane;
            _open.Add(lane);
            if (!_sweeping)
            {
                _sweeping = true;
                _sweep.Change(_sweepInterval, _sweepInterval);
            }

            return lane;
        }
    }

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        var idleBefore = now - (long)(IdleClose.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                var lane = _open[i];
                lane.ExpireDue(now);
                if (!lane.IsClosed && lane.LastUsed < idleBefore)
                {
                    var slot = Array.IndexOf(_lanes, lane);
                    if (slot >= 0)
                    {
                        _lanes[slot] = null;
                    }

                    lane.Retire();
                }

                if (lane.IsClosed)
                {
                    _open.RemoveAt(i);
                }
            }

            if (_open.Count == 0 && _sweeping && !_disposed)
            {
                _sweeping = false;
                _sweep.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }
}
