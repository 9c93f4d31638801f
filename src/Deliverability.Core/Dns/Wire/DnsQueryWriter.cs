using System.Buffers.Binary;
using System.Globalization;

namespace Deliverability.Core.Dns.Wire;

/// <summary>Writes a standard query (RFC 1035 section 4.1): header, one question of class IN, and an EDNS(0) OPT record.</summary>
internal static class DnsQueryWriter
{
    /// <summary>Largest query: header, a 255-byte name, type and class, OPT record.</summary>
    public const int MaxQueryLength = DnsHeader.Length + DnsWire.MaxNameLength + 4 + OptRecordLength;

    /// <summary>
    /// UDP payload size offered in EDNS(0): 1232 bytes fits any path's MTU without fragmentation (the DNS flag day 2020
    /// value). Larger answers come back truncated and are asked again over TCP.
    /// </summary>
    public const ushort UdpPayloadSize = 1232;

    private const int OptRecordLength = 11;

    /// <summary>
    /// Writes the query for <paramref name="name"/> (presentation form: dots between labels, <c>\.</c> and <c>\DDD</c>
    /// escapes, non-ASCII labels as IDNA) and returns its length; false when the name cannot be put on the wire.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ushort id, string name, DnsRecordType type, bool edns, out int length, out string error)
    {
        length = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DnsHeader.RecursionDesiredFlag);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)(edns ? 1 : 0));
        if (!TryWriteName(destination[DnsHeader.Length..], name, out var nameLength, out error))
        {
            return false;
        }

        var position = DnsHeader.Length + nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], DnsWire.TypeCode(type));
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], DnsWire.ClassInternet);
        position += 4;
        if (edns)
        {
            // OPT pseudo-record (RFC 6891): root owner, type 41, class = UDP payload size, TTL 0 (version 0, no DO bit), no options.
            destination[position] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 1)..], DnsWire.TypeOpt);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 3)..], UdpPayloadSize);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(position + 5)..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 9)..], 0);
            position += OptRecordLength;
        }

        length = position;
        return true;
    }

    /// <summary>A name in wire form (length-prefixed labels, root label last), uncompressed.</summary>
    public static bool TryWriteName(Span<byte> destination, string name, out int length, out string error)
    {
        length = 0;
        error = "";
        var text = name.EndsWith('.') ? name[..^1] : name;
        if (!ContainsOnlyAscii(text))
        {
            if (!TryToAscii(text, out text))
            {
                error = $"'{name}' is not a valid internationalised domain name";
                return false;
            }
        }

        var position = 0;
        var index = 0;
        while (index < text.Length)
        {
            var lengthAt = position++;
            var labelLength = 0;
            while (index < text.Length && text[index] != '.')
            {
                if (!TryReadCharacter(text, ref index, out var value))
                {
                    error = $"'{name}' has a bad escape sequence";
                    return false;
                }

                if (++labelLength > DnsWire.MaxLabelLength || position >= DnsWire.MaxNameLength - 1)
                {
                    error = $"'{name}' is too long for DNS (labels of at most 63 bytes, names of at most 255)";
                    return false;
                }

                destination[position++] = value;
            }

            if (labelLength == 0)
            {
                error = $"'{name}' has an empty label";
                return false;
            }

            destination[lengthAt] = (byte)labelLength;
            index++; // the dot (or one past the end)
        }

        destination[position++] = 0;
        length = position;
        return true;
    }

    // Presentation escapes of RFC 1035 section 5.1: \X is X itself, \DDD the byte of that decimal value.
    private static bool TryReadCharacter(string text, ref int index, out byte value)
    {
        var c = text[index];
        if (c != '\\')
        {
            value = (byte)c;
            index++;
            return true;
        }

        if (index + 3 < text.Length && char.IsAsciiDigit(text[index + 1]) && char.IsAsciiDigit(text[index + 2]) && char.IsAsciiDigit(text[index + 3])
            && int.TryParse(text.AsSpan(index + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255)
        {
            value = (byte)number;
            index += 4;
            return true;
        }

        if (index + 1 < text.Length && !char.IsAsciiDigit(text[index + 1]))
        {
            value = (byte)text[index + 1];
            index += 2;
            return true;
        }

        value = 0;
        return false;
    }

    // Labels are any octets (RFC 2181 section 11): ASCII goes on the wire as it is, spaces and '%' from SPF macros included.
    private static bool ContainsOnlyAscii(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryToAscii(string text, out string ascii)
    {
        ascii = text;
        if (text.Any(c => c < 0x21 || c == 0x7F))
        {
            return false;
        }

        try
        {
            ascii = new IdnMapping().GetAscii(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
