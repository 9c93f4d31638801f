using System.Collections.Concurrent;
using System.Diagnostics;

namespace Deliverability.Load.Running;

/// <summary>
/// Everything measured for one scenario: the invocations, each step, the start counters and the per-second series.
/// Only invocations planned at or after the measuring start are recorded (warm-up is discarded by its plan time).
/// </summary>
internal sealed class ScenarioStats
{
    public const int MaxSteps = 100;
    public const string OtherSteps = "(other steps)";

    private readonly ConcurrentDictionary<string, MeasureStats> _steps = new(StringComparer.Ordinal);
    private readonly List<MeasureStats> _stepOrder = [];
    private readonly long _runStartTimestamp;
    private readonly double _runStartUnixSeconds;
    private readonly DateTimeOffset _runStartTime;
    private long _started;
    private long _late;
    private long _dropped;
    private long _interrupted;

    public ScenarioStats(string name, long runStartTimestamp, DateTimeOffset runStartTime, long measureStartTimestamp)
    {
        Name = name;
        _runStartTimestamp = runStartTimestamp;
        _runStartTime = runStartTime;
        _runStartUnixSeconds = (runStartTime - DateTimeOffset.UnixEpoch).TotalSeconds;
        MeasureStartTimestamp = measureStartTimestamp;
        MeasureStartTime = TimeOf(measureStartTimestamp);
        Series = new SecondSeries(UnixSecond(measureStartTimestamp));
    }

    public string Name { get; }

    public long MeasureStartTimestamp { get; }

    public DateTimeOffset MeasureStartTime { get; }

    public MeasureStats Invocations { get; } = new(null);

    public SecondSeries Series { get; }

    public long Started => Volatile.Read(ref _started);

    public long LateStarts => Volatile.Read(ref _late);

    public long DroppedStarts => Volatile.Read(ref _dropped);

    public long Interrupted => Volatile.Read(ref _interrupted);

    public IReadOnlyList<MeasureStats> Steps
    {
        get
        {
            lock (_stepOrder)
            {
                return [.. _stepOrder];
            }
        }
    }

    public bool IsMeasured(long plannedTimestamp) => plannedTimestamp >= MeasureStartTimestamp;

    public DateTimeOffset TimeOf(long timestamp) => _runStartTime + Stopwatch.GetElapsedTime(_runStartTimestamp, timestamp);

    public long UnixSecond(long timestamp) =>
        (long)Math.Floor(_runStartUnixSeconds + ((timestamp - _runStartTimestamp) / (double)Stopwatch.Frequency));

    public MeasureStats Step(string name)
    {
        if (_steps.TryGetValue(name, out var stats))
        {
            return stats;
        }

        lock (_stepOrder)
        {
            if (_steps.TryGetValue(name, out stats))
            {
                return stats;
            }

            if (_steps.Count >= MaxSteps || name.Length > ScenarioValidation.MaxNameLength)
            {
                name = OtherSteps;
                if (_steps.TryGetValue(name, out stats))
                {
                    return stats;
                }
            }

            stats = new MeasureStats(name);
            _steps[name] = stats;
            _stepOrder.Add(stats);
            return stats;
        }
    }

    public void RecordStart(long startTimestamp, bool late)
    {
        Interlocked.Increment(ref _started);
        if (late)
        {
            Interlocked.Increment(ref _late);
        }

        Series.CountStarted(UnixSecond(startTimestamp));
    }

    public void RecordDropped(long timestamp)
    {
        Interlocked.Increment(ref _dropped);
        Series.CountDropped(UnixSecond(timestamp));
    }

    public void RecordInterrupted() => Interlocked.Increment(ref _interrupted);

    public void RecordInvocation(in Response response, long plannedTimestamp, long startTimestamp, long endTimestamp)
    {
        var responseMicroseconds = LatencyHistogram.Microseconds(endTimestamp - plannedTimestamp);
        Invocations.Record(response, responseMicroseconds, LatencyHistogram.Microseconds(endTimestamp - startTimestamp));
        Series.CountCompleted(UnixSecond(endTimestamp), !response.IsOk, responseMicroseconds);
    }
}
