using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Deliverability.Core.Metrics;

/// <summary>
/// The latest value of each series of a gauge (one per scenario, send path, stream), read when exported. Bounded: past
/// <see cref="Capacity"/> series the one updated longest ago makes room, so imported reports with ever-new names cannot
/// grow it without end.
/// </summary>
internal sealed class LatestValues(int capacity = LatestValues.DefaultCapacity)
{
    public const int DefaultCapacity = 200;
    private readonly ConcurrentDictionary<string, (double Value, long Order)> _values = new(StringComparer.Ordinal);
    private long _order;

    public int Capacity => capacity;

    public void Set(string series, double value)
    {
        _values[series] = (value, Interlocked.Increment(ref _order));
        if (_values.Count > capacity)
        {
            var oldest = _values.MinBy(pair => pair.Value.Order).Key;
            _values.TryRemove(oldest, out _);
        }
    }

    public IEnumerable<Measurement<double>> Read(string tag) =>
        _values.Select(pair => new Measurement<double>(pair.Value.Value, new KeyValuePair<string, object?>(tag, pair.Key)));
}
