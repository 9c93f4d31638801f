namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>The bytes already read to detect the format, then the rest of the inner stream: detection without seeking.</summary>
public sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream inner, bool leaveOpen = false) : Stream
{
    private int _offset;

    /// <summary>Reads up to <see cref="InputFormatDetector.HeadLength"/> bytes of <paramref name="input"/> and detects its format.</summary>
    public static async Task<(InputFormat Format, PrefixedStream Stream)> DetectAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        var head = new byte[InputFormatDetector.HeadLength];
        var length = 0;
        while (length < head.Length)
        {
            var n = await input.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        return (InputFormatDetector.Detect(head.AsSpan(0, length)), new PrefixedStream(head, length, input, leaveOpen));
    }

    /// <summary>The detected head, for messages that quote what was found.</summary>
    public ReadOnlySpan<byte> Head => prefix.AsSpan(0, prefixLength);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - _offset);
            prefix.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        return inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < prefixLength)
        {
            return Read(buffer.Span);
        }

        return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
