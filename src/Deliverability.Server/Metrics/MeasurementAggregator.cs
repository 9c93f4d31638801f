using System.Globalization;
using System.Text;
using Deliverability.Core.Metrics;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace Deliverability.Server.Metrics;

/// <summary>
/// Gathers the measurements of one export interval per series (instrument and tags) and turns them into one InfluxDB
/// point per series (<see cref="MetricInstrument.InfluxFields"/>): what a counter counted in the interval, a histogram's
/// count, sum, min and max, a gauge's or up-down counter's current value. Thread-safe: the meter's callbacks come from
/// every thread that records.
/// </summary>
public sealed class MeasurementAggregator(IReadOnlyDictionary<string, string>? extraTags = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, string>[] _extraTags = [.. (extraTags ?? new Dictionary<string, string>()).OrderBy(t => t.Key, StringComparer.Ordinal)];

    /// <summary>Series seen since the last <see cref="Drain"/> (a bound on memory while InfluxDB is away is the buffer's job).</summary>
    public int SeriesCount
    {
        get
        {
            lock (_gate)
            {
                return _series.Count;
            }
        }
    }

    public void Add(MetricInstrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        var sorted = Sorted(tags);
        var key = Key(instrument, sorted);
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series(instrument, sorted);
                _series[key] = series;
            }

            series.Add(value);
        }
    }

    /// <summary>
    /// The line protocol of every series with something to say, stamped <paramref name="at"/>; counters and histograms
    /// start the next interval from zero, gauges are forgotten (read again at the next interval), up-down counters keep
    /// their running value.
    /// </summary>
    public IReadOnlyList<string> Drain(DateTimeOffset at)
    {
        var lines = new List<string>();
        lock (_gate)
        {
            foreach (var (key, series) in _series.ToArray())
            {
                if (series.Pending)
                {
                    lines.Add(series.ToPoint(at, _extraTags).ToLineProtocol());
                }

                if (series.Instrument.Kind == MetricKind.UpDownCounter)
                {
                    series.Reset(keepValue: true);
                }
                else
                {
                    _series.Remove(key);
                }
            }
        }

        return lines;
    }

    private static KeyValuePair<string, string>[] Sorted(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            sorted[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return sorted;
    }

    private static string Key(MetricInstrument instrument, KeyValuePair<string, string>[] tags)
    {
        var key = new StringBuilder(instrument.Name);
        foreach (var (name, value) in tags)
        {
            key.Append('\0').Append(name).Append('\0').Append(value);
        }

        return key.ToString();
    }

    private sealed class Series(MetricInstrument instrument, KeyValuePair<string, string>[] tags)
    {
        private long _count;
        private double _sum;
        private double _min = double.MaxValue;
        private double _max = double.MinValue;
        private double _value;

        public MetricInstrument Instrument { get; } = instrument;

        public bool Pending { get; private set; }

        public void Add(double value)
        {
            Pending = true;
            _count++;
            _sum += value;
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
            _value = Instrument.Kind switch
            {
                MetricKind.UpDownCounter => _value + value,
                _ => value,
            };
        }

        /// <summary>Starts a new interval; an up-down counter keeps its value and stays pending, so it reports every interval.</summary>
        public void Reset(bool keepValue)
        {
            _count = 0;
            _sum = 0;
            _min = double.MaxValue;
            _max = double.MinValue;
            if (!keepValue)
            {
                _value = 0;
            }
        }

        public PointData ToPoint(DateTimeOffset at, KeyValuePair<string, string>[] extraTags)
        {
            var point = PointData.Measurement(Instrument.InfluxMeasurement);
            foreach (var (name, value) in extraTags.Concat(tags))
            {
                if (value.Length > 0)
                {
                    point = point.Tag(name, value);
                }
            }

            point = Instrument.Kind switch
            {
                MetricKind.Counter => point.Field("count", (long)_sum),
                MetricKind.Histogram => point.Field("count", _count).Field("sum", _sum).Field("min", _min).Field("max", _max),
                _ => point.Field("value", _value),
            };
            return point.Timestamp(at.UtcDateTime, WritePrecision.Ms);
        }
    }
}
