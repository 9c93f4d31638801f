namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>
/// Drops <c>&lt;xs:schema ...&gt;</c> and <c>&lt;/xs:schema&gt;</c> tags from a report as it streams by. Some receivers
/// leave a stray, unclosed schema tag (with an undeclared prefix) inside <c>&lt;feedback&gt;</c>, which makes the whole
/// report not well-formed; nothing a report means is ever in that tag.
/// </summary>
public sealed class StraySchemaTagFilter(Stream inner) : Stream
{
    private static readonly byte[] OpenTag = "<xs:schema"u8.ToArray();
    private static readonly byte[] CloseTag = "</xs:schema"u8.ToArray();

    private readonly byte[] _input = new byte[64 * 1024];
    private readonly byte[] _pending = new byte[16];
    private byte[] _output = new byte[64 * 1024 + 32];
    private int _outputStart;
    private int _outputEnd;
    private int _pendingLength;
    private bool _dropping;
    private bool _innerDone;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_outputStart == _outputEnd && !_innerDone)
        {
            var n = inner.Read(_input, 0, _input.Length);
            Filter(n);
        }

        return Drain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outputStart == _outputEnd && !_innerDone)
        {
            var n = await inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false);
            Filter(n);
        }

        return Drain(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsSpan(_outputStart, n).CopyTo(buffer);
        _outputStart += n;
        return n;
    }

    private void Filter(int count)
    {
        _outputStart = 0;
        _outputEnd = 0;
        if (count == 0)
        {
            _innerDone = true;
            Emit(_pending.AsSpan(0, _pendingLength)); // a partial tag at the very end is text, not a schema tag
            _pendingLength = 0;
            return;
        }

        var input = _input.AsSpan(0, count);
        var i = 0;
        while (i < input.Length)
        {
            if (_dropping)
            {
                var end = input[i..].IndexOf((byte)'>');
                if (end < 0)
                {
                    return;
                }

                i += end + 1;
                _dropping = false;
                continue;
            }

            if (_pendingLength == 0)
            {
                var lt = input[i..].IndexOf((byte)'<');
                if (lt < 0)
                {
                    Emit(input[i..]);
                    return;
                }

                Emit(input.Slice(i, lt));
                i += lt;
            }

            _pending[_pendingLength++] = input[i++];
            Match();
        }
    }

    /// <summary>Decides, one byte at a time, whether the pending bytes start a schema tag.</summary>
    private void Match()
    {
        var pending = _pending.AsSpan(0, _pendingLength);
        foreach (var tag in (ReadOnlySpan<byte[]>)[OpenTag, CloseTag])
        {
            if (pending.Length <= tag.Length && tag.AsSpan().StartsWith(pending))
            {
                return; // still a prefix of the tag: wait for more
            }

            if (pending.Length == tag.Length + 1 && pending.StartsWith(tag))
            {
                var next = pending[^1];
                if (next is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'/')
                {
                    _dropping = next != (byte)'>';
                    _pendingLength = 0;
                    return;
                }
            }
        }

        // Not a schema tag: the bytes are the report's. A '<' after the first starts a new candidate.
        var restart = pending[1..].IndexOf((byte)'<');
        if (restart < 0)
        {
            Emit(pending);
            _pendingLength = 0;
            return;
        }

        Emit(pending[..(restart + 1)]);
        var rest = pending[(restart + 1)..].ToArray();
        _pendingLength = 0;
        foreach (var b in rest)
        {
            _pending[_pendingLength++] = b;
            Match();
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (_outputEnd + bytes.Length > _output.Length)
        {
            Array.Resize(ref _output, Math.Max(_output.Length * 2, _outputEnd + bytes.Length));
        }

        bytes.CopyTo(_output.AsSpan(_outputEnd));
        _outputEnd += bytes.Length;
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
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
