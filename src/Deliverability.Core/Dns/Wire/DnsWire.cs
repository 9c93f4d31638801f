using System.Buffers.Binary;

namespace Deliverability.Core.Dns.Wire;

/// <summary>Numbers of the DNS wire format (RFC 1035, RFC 3596, RFC 6891) that the resolver reads and writes.</summary>
internal static class DnsWire
{
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;
    public const ushort ClassInternet = 1;
    public const ushort TypeA = 1;
    public const ushort TypeNs = 2;
    public const ushort TypeCname = 5;
    public const ushort TypeSoa = 6;
    public const ushort TypePtr = 12;
    public const ushort TypeMx = 15;
    public const ushort TypeTxt = 16;
    public const ushort TypeAaaa = 28;
    public const ushort TypeOpt = 41;

    public static ushort TypeCode(DnsRecordType type) => type switch
    {
        DnsRecordType.A => TypeA,
        DnsRecordType.AAAA => TypeAaaa,
        DnsRecordType.CNAME => TypeCname,
        DnsRecordType.MX => TypeMx,
        DnsRecordType.NS => TypeNs,
        DnsRecordType.PTR => TypePtr,
        DnsRecordType.TXT => TypeTxt,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>The fixed 12-byte header of every message (RFC 1035 section 4.1.1).</summary>
internal readonly record struct DnsHeader(ushort Id, ushort Flags, ushort QuestionCount, ushort AnswerCount, ushort AuthorityCount, ushort AdditionalCount)
{
    public const int Length = 12;
    public const ushort RecursionDesiredFlag = 0x0100;

    public bool IsResponse => (Flags & 0x8000) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public bool IsTruncated => (Flags & 0x0200) != 0;

    public int ResponseCode => Flags & 0xF;

    /// <summary>The header of <paramref name="message"/>; false when it is shorter than a header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < Length)
        {
            header = default;
            return false;
        }

        header = new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
        return true;
    }
}
