using System.IO.Compression;

namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>
/// Passes a report through while keeping a gzip-compressed copy of it, up to a bound, for the dashboard's raw view. A
/// report whose copy outgrows the bound is still read to the end; only the copy is given up.
/// </summary>
public sealed class RawReportCapture(Stream inner, int maxCompressedBytes) : Stream
{
    private MemoryStream? _compressed = new();
    private GZipStream? _gzip;

    public bool Truncated { get; private set; }

    /// <summary>The compressed copy of everything read so far, or null when it outgrew the bound.</summary>
    public byte[]? CompressedCopy()
    {
        if (_compressed is null)
        {
            return null;
        }

        _gzip?.Dispose();
        _gzip = null;
        return _compressed.Length > maxCompressedBytes ? null : _compressed.ToArray();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Keep(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_compressed is null || bytes.Length == 0)
        {
            return;
        }

        _gzip ??= new GZipStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
        _gzip.Write(bytes);
        if (_compressed.Length > maxCompressedBytes)
        {
            _gzip.Dispose();
            _gzip = null;
            _compressed = null;
            Truncated = true;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip?.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
