using HdrHistogram;

namespace Deliverability.Load.Running;

/// <summary>
/// Per wall-clock second counts and response-time histograms, kept in a ring of recycled slots: writers add to the
/// slot of their second; the reporter closes seconds two seconds old into points and hands the slot to a later
/// second. A writer too late (or too early) for the ring counts in the nearest open second: nothing is lost.
/// </summary>
internal sealed class SecondSeries
{
    private const int RingSize = 8;
    private readonly Slot[] _ring = new Slot[RingSize];
    private readonly List<TimeSeriesPoint> _points = [];
    private readonly LongHistogram _scratch = LatencyHistogram.NewPlain();
    private long _closedUpTo;

    public SecondSeries(long firstSecond)
    {
        _closedUpTo = firstSecond - 1;
        for (var index = 0; index < RingSize; index++)
        {
            _ring[index] = new Slot();
        }
    }

    public IReadOnlyList<TimeSeriesPoint> Points
    {
        get
        {
            lock (_points)
            {
                return [.. _points];
            }
        }
    }

    public TimeSeriesPoint? LastPoint
    {
        get
        {
            lock (_points)
            {
                return _points.Count == 0 ? null : _points[^1];
            }
        }
    }

    public void CountStarted(long second) => Interlocked.Increment(ref SlotOf(second).Started);

    public void CountDropped(long second) => Interlocked.Increment(ref SlotOf(second).Dropped);

    public void CountCompleted(long second, bool failed, long responseMicroseconds)
    {
        var slot = SlotOf(second);
        Interlocked.Increment(ref slot.Completed);
        if (failed)
        {
            Interlocked.Increment(ref slot.Errors);
        }

        slot.Histogram.RecordValue(responseMicroseconds);
    }

    /// <summary>Closes every second up to and including <paramref name="lastSecond"/>. Called by one thread at a time.</summary>
    public void CloseUpTo(long lastSecond)
    {
        lock (_points)
        {
            while (Volatile.Read(ref _closedUpTo) < lastSecond)
            {
                var second = _closedUpTo + 1;
                var slot = _ring[second % RingSize];
                var histogram = _scratch;
                histogram.Reset();
                histogram.Add(slot.Histogram);
                _points.Add(new TimeSeriesPoint
                {
                    Time = DateTimeOffset.FromUnixTimeSeconds(second),
                    Started = Interlocked.Exchange(ref slot.Started, 0),
                    Completed = Interlocked.Exchange(ref slot.Completed, 0),
                    Errors = Interlocked.Exchange(ref slot.Errors, 0),
                    Dropped = Interlocked.Exchange(ref slot.Dropped, 0),
                    P50Ms = LatencyHistogram.ValueAtPercentileMs(histogram, 50),
                    P99Ms = LatencyHistogram.ValueAtPercentileMs(histogram, 99),
                    Histogram = LatencyHistogram.Encode(histogram),
                });
                slot.Histogram.Reset();
                Volatile.Write(ref _closedUpTo, second);
            }
        }
    }

    private Slot SlotOf(long second)
    {
        var closed = Volatile.Read(ref _closedUpTo);
        var clamped = Math.Clamp(second, closed + 1, closed + RingSize);
        return _ring[clamped % RingSize];
    }

    private sealed class Slot
    {
        public long Started;
        public long Completed;
        public long Errors;
        public long Dropped;
        public readonly LongConcurrentHistogram Histogram = LatencyHistogram.NewConcurrent();
    }
}
