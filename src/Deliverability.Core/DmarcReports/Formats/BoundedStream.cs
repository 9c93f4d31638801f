namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>
/// Reads from an inner stream and refuses, with <see cref="InvalidReportException"/>, to give more than a bound: a zip
/// or gzip bomb stops at the bound, never when memory or disk runs out. The optional shared budget bounds every
/// decompressed byte of one input together.
/// </summary>
public sealed class BoundedStream(Stream inner, long limit, string what, DecompressionBudget? budget = null, bool leaveOpen = false) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Count(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Count(int n)
    {
        _read += n;
        if (_read > limit)
        {
            throw new InvalidReportException($"{what} is larger than {Bytes(limit)}: refused (a decompression bomb, or raise the limit)");
        }

        budget?.Take(n);
    }

    public static string Bytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>The decompressed bytes one input may yield in all, shared by its nested containers.</summary>
public sealed class DecompressionBudget(long limit)
{
    private long _used;

    public void Take(long bytes)
    {
        _used += bytes;
        if (_used > limit)
        {
            throw new InvalidReportException($"the input decompresses to more than {BoundedStream.Bytes(limit)} in all: refused (a decompression bomb, or raise the limit)");
        }
    }
}
