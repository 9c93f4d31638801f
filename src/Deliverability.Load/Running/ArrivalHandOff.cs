using System.Threading.Tasks.Sources;

namespace Deliverability.Load.Running;

/// <summary>A planned start: its number and when it was planned (Stopwatch ticks). Number -1 tells a worker to stop.</summary>
internal readonly record struct Arrival(long Number, long PlannedTimestamp)
{
    public static Arrival End { get; } = new(-1, 0);

    public bool IsEnd => Number < 0;
}

/// <summary>
/// Hands planned starts from the dispatcher to the open model's workers: straight to an idle worker when there is
/// one (waking exactly that one), into a bounded backlog when all are busy, dropped beyond it. One small lock, and
/// each worker waits on its own reusable signal, so a hand-off allocates nothing and never wakes the whole pool.
/// </summary>
internal sealed class ArrivalHandOff
{
    private readonly object _lock = new();
    private readonly Queue<Arrival> _backlog = new();
    private readonly Stack<WorkerSignal> _idle = new();
    private bool _closed;
    private int _backlogCount;

    public int Backlog => Volatile.Read(ref _backlogCount);

    /// <summary>False when the start was dropped (no idle worker and the backlog is full).</summary>
    public bool Offer(Arrival arrival, int maxBacklog)
    {
        WorkerSignal worker;
        lock (_lock)
        {
            if (_idle.Count == 0)
            {
                if (_backlog.Count >= maxBacklog || _closed)
                {
                    return false;
                }

                _backlog.Enqueue(arrival);
                _backlogCount = _backlog.Count;
                return true;
            }

            worker = _idle.Pop();
        }

        worker.Wake(arrival);
        return true;
    }

    /// <summary>The next start for a worker: from the backlog at once, or when the dispatcher hands one over.</summary>
    public ValueTask<Arrival> NextAsync(WorkerSignal signal)
    {
        lock (_lock)
        {
            if (_backlog.Count > 0)
            {
                var arrival = _backlog.Dequeue();
                _backlogCount = _backlog.Count;
                return new ValueTask<Arrival>(arrival);
            }

            if (_closed)
            {
                return new ValueTask<Arrival>(Arrival.End);
            }

            signal.Reset();
            _idle.Push(signal);
        }

        return signal.WaitAsync();
    }

    /// <summary>No more starts: idle workers stop; busy ones finish the backlog first unless it is discarded.</summary>
    public void Close(bool discardBacklog)
    {
        WorkerSignal[] idle;
        lock (_lock)
        {
            _closed = true;
            if (discardBacklog)
            {
                _backlog.Clear();
                _backlogCount = 0;
            }

            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var worker in idle)
        {
            worker.Wake(Arrival.End);
        }
    }
}

/// <summary>A worker's reusable wait for its next start (no allocation per wait).</summary>
internal sealed class WorkerSignal : IValueTaskSource<Arrival>
{
    private ManualResetValueTaskSourceCore<Arrival> _core = new() { RunContinuationsAsynchronously = true };

    public void Reset() => _core.Reset();

    public void Wake(Arrival arrival) => _core.SetResult(arrival);

    public ValueTask<Arrival> WaitAsync() => new(this, _core.Version);

    public Arrival GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
