using System.Net;
using System.Text;

namespace Deliverability.Core.Dns.Wire;

/// <summary>What one message said: the response in our types, and what the resolver needs to decide what next.</summary>
/// <param name="Truncated">The TC bit: the answer did not fit in UDP and must be asked again over TCP.</param>
/// <param name="CacheSeconds">How long the answer may be kept: the smallest TTL of its records, or for a negative answer the SOA's (RFC 2308); null when it must not be kept.</param>
internal readonly record struct DecodedResponse(DnsResponse Response, int ResponseCode, bool Truncated, uint? CacheSeconds);

/// <summary>Matches responses to queries and turns them into <see cref="DnsResponse"/> without intermediate copies.</summary>
internal static class DnsResponseDecoder
{
    public const int FormatError = 1;
    private const int ServerFailure = 2;
    private const int NameError = 3;
    private const int NotImplemented = 4;
    private const int Refused = 5;

    /// <summary>
    /// Whether <paramref name="response"/> answers <paramref name="query"/>: same id, a response to a standard query, and
    /// the same single question (name compared without regard to case, type, class). Anything else, including a packet
    /// too short to tell, is not ours and is ignored (RFC 5452 section 9.1), never an error.
    /// </summary>
    public static bool Answers(ReadOnlySpan<byte> response, ReadOnlySpan<byte> query)
    {
        if (!DnsHeader.TryRead(response, out var header) || !DnsHeader.TryRead(query, out var asked))
        {
            return false;
        }

        if (header.Id != asked.Id || !header.IsResponse || header.Opcode != 0 || header.QuestionCount != 1)
        {
            return false;
        }

        // The query's question is uncompressed: its name ends at the first zero length byte after the header.
        var nameEnd = query[DnsHeader.Length..].IndexOf((byte)0);
        var questionLength = nameEnd + 1 + 4;
        if (nameEnd < 0 || response.Length < DnsHeader.Length + questionLength)
        {
            return false;
        }

        var ours = query.Slice(DnsHeader.Length, questionLength);
        var theirs = response.Slice(DnsHeader.Length, questionLength);
        for (var i = 0; i < questionLength; i++)
        {
            var a = ours[i];
            var b = theirs[i];
            // Length bytes are at most 63, below 'A': folding letters cannot make a length match a letter.
            if (a != b && (i > nameEnd || (a | 0x20) != (b | 0x20) || (a | 0x20) is < (byte)'a' or > (byte)'z'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Decodes a response already matched to its query. Throws <see cref="MalformedDnsMessageException"/> when any
    /// section breaks the wire format; a truncated response is not decoded past its header.
    /// </summary>
    public static DecodedResponse Decode(ReadOnlySpan<byte> message, string name, DnsRecordType type)
    {
        if (!DnsHeader.TryRead(message, out var header))
        {
            throw new MalformedDnsMessageException("the message is shorter than its header");
        }

        var rcode = header.ResponseCode;
        var status = rcode switch
        {
            0 => DnsStatus.NoError,
            NameError => DnsStatus.NxDomain,
            ServerFailure => DnsStatus.ServFail,
            Refused => DnsStatus.Refused,
            _ => DnsStatus.Error,
        };
        if (header.IsTruncated)
        {
            return new DecodedResponse(new DnsResponse(name, type, status, []), rcode, true, null);
        }

        var reader = new DnsMessageReader(message, DnsHeader.Length);
        for (var i = 0; i < header.QuestionCount; i++)
        {
            reader.SkipName();
            reader.Skip(4);
        }

        Span<char> scratch = stackalloc char[DnsMessageReader.MaxNameChars];
        var answers = header.AnswerCount == 0 ? [] : new DnsRecord[header.AnswerCount];
        var kept = 0;
        var minimumTtl = uint.MaxValue;
        var lastTarget = name;
        for (var i = 0; i < header.AnswerCount; i++)
        {
            var owner = ReadName(ref reader, scratch, name, lastTarget);
            var recordType = reader.ReadUInt16();
            var recordClass = reader.ReadUInt16();
            var ttl = Ttl(reader.ReadUInt32());
            var length = reader.ReadUInt16();
            var end = reader.Position + length;
            reader.MoveTo(end);
            reader.MoveTo(end - length);
            var record = recordClass == DnsWire.ClassInternet ? ReadRecord(ref reader, scratch, recordType, owner, ttl, end) : null;
            reader.MoveTo(end);
            if (record is null)
            {
                continue;
            }

            if (record is CnameRecord cname)
            {
                lastTarget = cname.Target;
            }

            answers[kept++] = record;
            minimumTtl = Math.Min(minimumTtl, ttl);
        }

        uint? negativeTtl = null;
        for (var i = 0; i < header.AuthorityCount; i++)
        {
            reader.SkipName();
            var recordType = reader.ReadUInt16();
            reader.Skip(2);
            var ttl = Ttl(reader.ReadUInt32());
            var length = reader.ReadUInt16();
            var end = reader.Position + length;
            reader.MoveTo(end);
            if (recordType == DnsWire.TypeSoa)
            {
                // RFC 2308 section 5: a negative answer is kept for the smaller of the SOA's TTL and its MINIMUM field.
                reader.MoveTo(end - length);
                reader.SkipName();
                reader.SkipName();
                reader.Skip(16);
                negativeTtl = Math.Min(ttl, reader.ReadUInt32());
                if (reader.Position != end)
                {
                    throw new MalformedDnsMessageException("an SOA record's data does not match its length");
                }
            }
        }

        for (var i = 0; i < header.AdditionalCount; i++)
        {
            reader.SkipName();
            reader.Skip(8);
            reader.Skip(reader.ReadUInt16());
        }

        if (kept < answers.Length)
        {
            Array.Resize(ref answers, kept);
        }

        var response = new DnsResponse(name, type, status, answers, status == DnsStatus.Error ? $"the name server answered {ResponseCodeName(rcode)}" : null);
        uint? cacheSeconds = status switch
        {
            DnsStatus.NoError when !response.IsNoData => minimumTtl,
            DnsStatus.NoError or DnsStatus.NxDomain => negativeTtl,
            _ => null,
        };
        return new DecodedResponse(response, rcode, false, cacheSeconds);
    }

    public static string ResponseCodeName(int rcode) => rcode switch
    {
        FormatError => "FORMERR",
        ServerFailure => "SERVFAIL",
        NameError => "NXDOMAIN",
        NotImplemented => "NOTIMP",
        Refused => "REFUSED",
        _ => $"response code {rcode}",
    };

    private static DnsRecord? ReadRecord(ref DnsMessageReader reader, scoped Span<char> scratch, ushort type, string owner, uint ttl, int end)
    {
        DnsRecord? record;
        switch (type)
        {
            case DnsWire.TypeA:
                record = new AddressRecord(owner, ttl, new IPAddress(reader.ReadBytes(4)));
                break;
            case DnsWire.TypeAaaa:
                record = new AddressRecord(owner, ttl, new IPAddress(reader.ReadBytes(16)));
                break;
            case DnsWire.TypeCname:
                record = new CnameRecord(owner, ttl, ReadName(ref reader, scratch, owner, owner));
                break;
            case DnsWire.TypePtr:
                record = new PtrRecord(owner, ttl, ReadName(ref reader, scratch, owner, owner));
                break;
            case DnsWire.TypeNs:
                record = new NsRecord(owner, ttl, ReadName(ref reader, scratch, owner, owner));
                break;
            case DnsWire.TypeMx:
                var preference = reader.ReadUInt16();
                record = new MxRecord(owner, ttl, preference, ReadName(ref reader, scratch, owner, owner));
                break;
            case DnsWire.TypeTxt:
                record = new TxtRecord(owner, ttl, ReadCharacterStrings(ref reader, end));
                break;
            default:
                return null;
        }

        if (reader.Position != end)
        {
            throw new MalformedDnsMessageException("a record's data does not match its length");
        }

        return record;
    }

    // TXT RDATA is one or more <length><bytes> strings filling the RDATA exactly (RFC 1035 section 3.3.14); each is read as
    // UTF-8 (invalid bytes become U+FFFD), as records in the wild carry UTF-8 text.
    private static string[] ReadCharacterStrings(ref DnsMessageReader reader, int end)
    {
        var count = 0;
        var start = reader.Position;
        while (reader.Position < end)
        {
            reader.Skip(reader.ReadBytes(1)[0]);
            count++;
        }

        if (reader.Position != end)
        {
            throw new MalformedDnsMessageException("a TXT string runs past its record");
        }

        reader.MoveTo(start);
        var strings = new string[count];
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadBytes(1)[0];
            strings[i] = Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        return strings;
    }

    // Answers mostly repeat the question's name or the last CNAME's target: reuse that string instead of a new one.
    private static string ReadName(ref DnsMessageReader reader, scoped Span<char> scratch, string likely, string alsoLikely)
    {
        var length = reader.ReadName(scratch);
        var name = scratch[..length];
        if (name.SequenceEqual(likely))
        {
            return likely;
        }

        return name.SequenceEqual(alsoLikely) ? alsoLikely : new string(name);
    }

    // RFC 2181 section 8: a TTL with the top bit set is read as zero.
    private static uint Ttl(uint value) => value > int.MaxValue ? 0 : value;
}
