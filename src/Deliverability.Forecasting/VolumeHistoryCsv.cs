namespace Deliverability.Forecasting;

/// <summary>Reads and writes `timestamp,count` history files.</summary>
public static class VolumeHistoryCsv
{
    /// <summary>`timestamp,count` with or without a header; bounded (rows, line length); one-line errors naming the line.</summary>
    public static VolumeSeries Read(TextReader reader, string stream, VolumeHistoryOptions? options = null)
        => throw new NotImplementedException();

    public static void Write(TextWriter writer, VolumeSeries series) => throw new NotImplementedException();
}
