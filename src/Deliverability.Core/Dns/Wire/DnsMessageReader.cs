using System.Buffers.Binary;

namespace Deliverability.Core.Dns.Wire;

/// <summary>
/// Reads a DNS message in place, without copying it. Everything from the network is hostile: every length is checked
/// against the end of the message, and compression pointers (RFC 1035 section 4.1.4) must each point before the
/// previous one, so a pointer loop cannot run forever. Anything out of bounds throws <see cref="MalformedDnsMessageException"/>.
/// </summary>
internal ref struct DnsMessageReader
{
    /// <summary>Longest presentation form of a name: 255 wire bytes, each at most <c>\DDD</c>.</summary>
    public const int MaxNameChars = DnsWire.MaxNameLength * 4;

    private readonly ReadOnlySpan<byte> _message;

    public DnsMessageReader(ReadOnlySpan<byte> message, int position)
    {
        _message = message;
        Position = position;
    }

    public int Position { get; private set; }

    public ushort ReadUInt16()
    {
        Require(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Require(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Require(count);
        var bytes = _message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public void Skip(int count)
    {
        Require(count);
        Position += count;
    }

    /// <summary>Moves to <paramref name="position"/>, which must lie within the message.</summary>
    public void MoveTo(int position)
    {
        if (position < 0 || position > _message.Length)
        {
            throw new MalformedDnsMessageException("a record runs past the end of the message");
        }

        Position = position;
    }

    /// <summary>
    /// Reads a name into <paramref name="destination"/> (at least <see cref="MaxNameChars"/> long) in the form the
    /// product compares names in: lower case, labels joined by dots, no trailing dot, the root as an empty string;
    /// a dot or backslash inside a label is escaped with a backslash, any other byte outside printable ASCII as <c>\DDD</c>.
    /// </summary>
    public int ReadName(scoped Span<char> destination)
    {
        var cursor = Position;
        var lowestTarget = Position; // every pointer must jump below the previous one: loops end
        var jumped = false;
        var wireLength = 1;
        var written = 0;
        for (var jumps = 0; ; )
        {
            if (cursor >= _message.Length)
            {
                throw new MalformedDnsMessageException("a name runs past the end of the message");
            }

            var length = _message[cursor];
            if (length == 0)
            {
                if (!jumped)
                {
                    Position = cursor + 1;
                }

                return written;
            }

            switch (length & 0xC0)
            {
                case 0xC0:
                    if (cursor + 1 >= _message.Length)
                    {
                        throw new MalformedDnsMessageException("a compression pointer runs past the end of the message");
                    }

                    var target = ((length & 0x3F) << 8) | _message[cursor + 1];
                    if (target >= lowestTarget || ++jumps > DnsWire.MaxNameLength / 2)
                    {
                        throw new MalformedDnsMessageException("a compression pointer does not point back into the message (a loop)");
                    }

                    if (!jumped)
                    {
                        Position = cursor + 2;
                        jumped = true;
                    }

                    lowestTarget = target;
                    cursor = target;
                    continue;
                case 0:
                    break;
                default:
                    throw new MalformedDnsMessageException("a name has a label type that does not exist");
            }

            wireLength += length + 1;
            if (wireLength > DnsWire.MaxNameLength)
            {
                throw new MalformedDnsMessageException("a name is longer than 255 bytes");
            }

            if (cursor + 1 + length > _message.Length)
            {
                throw new MalformedDnsMessageException("a label runs past the end of the message");
            }

            if (written > 0)
            {
                destination[written++] = '.';
            }

            foreach (var b in _message.Slice(cursor + 1, length))
            {
                written = Append(destination, written, b);
            }

            cursor += 1 + length;
        }
    }

    /// <summary>Reads a name and skips it; it is still checked.</summary>
    public void SkipName()
    {
        Span<char> scratch = stackalloc char[MaxNameChars];
        ReadName(scratch);
    }

    private static int Append(Span<char> destination, int written, byte b)
    {
        if (b is >= (byte)'A' and <= (byte)'Z')
        {
            destination[written] = (char)(b + 32);
            return written + 1;
        }

        if (b is (byte)'.' or (byte)'\\')
        {
            destination[written] = '\\';
            destination[written + 1] = (char)b;
            return written + 2;
        }

        if (b is > 0x20 and < 0x7F)
        {
            destination[written] = (char)b;
            return written + 1;
        }

        destination[written] = '\\';
        destination[written + 1] = (char)('0' + (b / 100));
        destination[written + 2] = (char)('0' + (b / 10 % 10));
        destination[written + 3] = (char)('0' + (b % 10));
        return written + 4;
    }

    private readonly void Require(int count)
    {
        if (count < 0 || Position + count > _message.Length)
        {
            throw new MalformedDnsMessageException("the message ends in the middle of a field");
        }
    }
}

/// <summary>An answer that breaks the wire format. Caught by the resolver: the query ends as a temporary failure of that server.</summary>
internal sealed class MalformedDnsMessageException(string reason) : Exception(reason);
