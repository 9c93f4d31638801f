namespace Deliverability.Forecasting;

/// <summary>A validated, sorted, regular series of one stream.</summary>
public sealed class VolumeSeries
{
    private VolumeSeries(string stream, SeriesFrequency frequency, IReadOnlyList<VolumePoint> points, IReadOnlyList<string> repairs)
    {
        Stream = stream;
        Frequency = frequency;
        Points = points;
        Repairs = repairs;
    }

    public string Stream { get; }

    /// <summary>Inferred from the timestamps.</summary>
    public SeriesFrequency Frequency { get; }

    public IReadOnlyList<VolumePoint> Points { get; }

    /// <summary>Documented repairs made on import (e.g. "3 missing hours filled with 0").</summary>
    public IReadOnlyList<string> Repairs { get; }

    /// <summary>Validates and normalises (UTC, sorted, frequency inferred); throws VolumeHistoryException with a clear message.</summary>
    public static VolumeSeries Create(string stream, IEnumerable<VolumePoint> points, VolumeHistoryOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Sums into a coarser frequency: hourly to daily to weekly.</summary>
    public VolumeSeries Aggregate(SeriesFrequency to) => throw new NotImplementedException();
}
