namespace Deliverability.Server.Metrics;

/// <summary>
/// The points waiting to be written, oldest first, at most <c>capacity</c>: past it the oldest are dropped, because
/// while InfluxDB is down the newest figures matter most and memory must stay bounded. Thread-safe.
/// </summary>
public sealed class InfluxPointBuffer(int capacity)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _points = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _points.Count;
            }
        }
    }

    /// <summary>Appends <paramref name="lines"/>; returns how many of the oldest points were dropped to make room.</summary>
    public int Add(IEnumerable<string> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                _points.AddLast(line);
            }

            return DropOverflow();
        }
    }

    /// <summary>Takes up to <paramref name="max"/> of the oldest points out of the buffer.</summary>
    public IReadOnlyList<string> Take(int max)
    {
        lock (_gate)
        {
            var batch = new List<string>(Math.Min(max, _points.Count));
            while (batch.Count < max && _points.First is { } first)
            {
                batch.Add(first.Value);
                _points.RemoveFirst();
            }

            return batch;
        }
    }

    /// <summary>
    /// Puts a batch that could not be written back in front, as the oldest points; returns how many points were dropped
    /// (the oldest of all) when the buffer filled up in the meantime.
    /// </summary>
    public int PutBack(IReadOnlyList<string> batch)
    {
        lock (_gate)
        {
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                _points.AddFirst(batch[i]);
            }

            return DropOverflow();
        }
    }

    private int DropOverflow()
    {
        var dropped = 0;
        while (_points.Count > capacity)
        {
            _points.RemoveFirst();
            dropped++;
        }

        return dropped;
    }
}
