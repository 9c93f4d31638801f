using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Deliverability.Load;

/// <summary>
/// The one histogram shape of the engine: microseconds from 1 us to 1 h at 3 significant digits, so every
/// histogram of every report can be added to every other.
/// </summary>
internal static class LatencyHistogram
{
    public const long HighestMicroseconds = 3_600_000_000;
    public const int SignificantDigits = 3;
    public const int MaxEncodedLength = 4 * 1024 * 1024;
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static LongConcurrentHistogram NewConcurrent() => new(1, HighestMicroseconds, SignificantDigits);

    public static LongHistogram NewPlain() => new(1, HighestMicroseconds, SignificantDigits);

    /// <summary>Stopwatch ticks as microseconds, clamped into the histogram's range.</summary>
    public static long Microseconds(long ticks) =>
        ticks <= 0 ? 0 : Math.Min(HighestMicroseconds, (long)(ticks * MicrosecondsPerTick));

    // Encoding needs a buffer as large as the counts (about 190 KB, a large-object allocation): one per thread, reused.
    [ThreadStatic]
    private static ByteBuffer? _encodeBuffer;

    public static string Encode(HistogramBase histogram)
    {
        var plain = histogram as LongHistogram ?? Copy(histogram);
        var needed = plain.GetNeededByteBufferCapacity();
        var buffer = _encodeBuffer is { } cached && cached.Capacity() >= needed ? cached : _encodeBuffer = ByteBuffer.Allocate(needed);
        buffer.Position = 0;
        var length = plain.EncodeIntoCompressedByteBuffer(buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var index = 0; index < length; index++)
        {
            bytes[index] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The histogram of <paramref name="encoded"/>; empty for an empty text. Throws FormatException when it is not one.</summary>
    public static LongHistogram Decode(string? encoded)
    {
        var histogram = NewPlain();
        if (string.IsNullOrEmpty(encoded))
        {
            return histogram;
        }

        if (encoded.Length > MaxEncodedLength)
        {
            throw new FormatException("a histogram is longer than 4 MB of base64");
        }

        try
        {
            var bytes = Convert.FromBase64String(encoded);
            CheckShape(bytes);
            var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), HighestMicroseconds);
            histogram.Add(decoded);
            return histogram;
        }
        catch (Exception exception) when (exception is not FormatException)
        {
            throw new FormatException("a histogram is not a valid compressed HDR histogram", exception);
        }
    }

    /// <summary>Throws FormatException unless <paramref name="encoded"/> is empty or a histogram of the engine's shape.</summary>
    public static void Validate(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return;
        }

        if (encoded.Length > MaxEncodedLength)
        {
            throw new FormatException("a histogram is longer than 4 MB of base64");
        }

        try
        {
            CheckShape(Convert.FromBase64String(encoded));
        }
        catch (Exception exception) when (exception is not FormatException)
        {
            throw new FormatException("a histogram is not a valid compressed HDR histogram", exception);
        }
    }

    /// <summary>
    /// Reads the header inside the compressed form before decoding: a report from outside could otherwise claim a
    /// range whose counts array fills the memory. Only this engine's shape (1 us to 1 h, 3 digits) is accepted.
    /// </summary>
    private static void CheckShape(byte[] bytes)
    {
        if (bytes.Length < 10)
        {
            throw new FormatException("a histogram is too short");
        }

        var header = new byte[32];
        using (var inflated = new ZLibStream(new MemoryStream(bytes, 8, bytes.Length - 8), CompressionMode.Decompress))
        {
            inflated.ReadExactly(header);
        }

        var digits = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        var lowest = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(16));
        var highest = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(24));
        if (digits != SignificantDigits || lowest != 1 || highest is < 2 or > HighestMicroseconds)
        {
            throw new FormatException("a histogram is not of this engine's shape (microseconds, 1 us to 1 h, 3 digits)");
        }
    }

    public static LongHistogram Copy(HistogramBase source)
    {
        var copy = NewPlain();
        copy.Add(source);
        return copy;
    }

    public static double ValueAtPercentileMs(string histogram, double percentile) =>
        ValueAtPercentileMs(Decode(histogram), percentile);

    public static double ValueAtPercentileMs(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    public static double MinMs(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return 0;
        }

        foreach (var value in histogram.RecordedValues())
        {
            return histogram.LowestEquivalentValue(value.ValueIteratedTo) / 1000.0;
        }

        return 0;
    }

    public static LatencyStats Summarise(HistogramBase histogram)
    {
        var plain = histogram as LongHistogram ?? Copy(histogram);
        var empty = plain.TotalCount == 0;
        return new LatencyStats
        {
            Count = plain.TotalCount,
            P50Ms = ValueAtPercentileMs(plain, 50),
            P75Ms = ValueAtPercentileMs(plain, 75),
            P90Ms = ValueAtPercentileMs(plain, 90),
            P95Ms = ValueAtPercentileMs(plain, 95),
            P99Ms = ValueAtPercentileMs(plain, 99),
            P999Ms = ValueAtPercentileMs(plain, 99.9),
            MaxMs = empty ? 0 : plain.GetMaxValue() / 1000.0,
            MinMs = MinMs(plain),
            MeanMs = empty ? 0 : Math.Round(plain.GetMean() / 1000.0, 6),
            StdDevMs = empty ? 0 : Math.Round(plain.GetStdDeviation() / 1000.0, 6),
            Histogram = Encode(plain),
        };
    }
}
