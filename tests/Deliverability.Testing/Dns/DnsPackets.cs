using System.Buffers.Binary;
using System.Net;

namespace Deliverability.Testing.Dns;

/// <summary>Answers built byte by byte from a query, right or deliberately broken, for <see cref="ScriptedDnsServer"/>.</summary>
public static class DnsPackets
{
    private const int HeaderLength = 12;

    /// <summary>The kinds of garbage a hostile or broken server sends back.</summary>
    public enum Garbage
    {
        /// <summary>The answer's name is a compression pointer to itself.</summary>
        CompressionLoop,

        /// <summary>A well-formed start whose A record is cut after two bytes of its address.</summary>
        CutInAnswer,

        /// <summary>An A record whose RDLENGTH says 200 bytes where the message has 4.</summary>
        RdLengthPastEnd,

        /// <summary>A label type (0x40) that does not exist, in the answer's name.</summary>
        BadLabelType,

        /// <summary>Eight bytes: not even a header.</summary>
        ShorterThanHeader,

        /// <summary>A right answer under another id.</summary>
        WrongId,

        /// <summary>A right-looking answer to another question.</summary>
        WrongQuestion,
    }

    /// <summary>An A answer of <paramref name="address"/> to the query's question (under <paramref name="id"/> if given).</summary>
    public static byte[] AnswerA(byte[] query, string address, ushort? id = null)
    {
        var answer = Response(query, answers: 1);
        answer.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4]);
        answer.AddRange(IPAddress.Parse(address).GetAddressBytes());
        var bytes = answer.ToArray();
        if (id is { } other)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, other);
        }

        return bytes;
    }

    /// <summary>A response to the query with no records and <paramref name="responseCode"/> (3 = NXDOMAIN, 2 = SERVFAIL, ...).</summary>
    public static byte[] Empty(byte[] query, int responseCode)
    {
        var bytes = Response(query, answers: 0).ToArray();
        bytes[3] = (byte)((bytes[3] & 0xF0) | responseCode);
        return bytes;
    }

    public static byte[] Broken(byte[] query, Garbage kind)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        switch (kind)
        {
            case Garbage.CompressionLoop:
            {
                var answer = Response(query, answers: 1);
                var self = answer.Count;
                answer.AddRange([(byte)(0xC0 | (self >> 8)), (byte)self, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]);
                return [.. answer];
            }

            case Garbage.CutInAnswer:
                return [.. AnswerA(query, "192.0.2.1").SkipLast(2)];
            case Garbage.RdLengthPastEnd:
            {
                var bytes = AnswerA(query, "192.0.2.1");
                bytes[^5] = 200;
                return bytes;
            }

            case Garbage.BadLabelType:
            {
                var answer = Response(query, answers: 1);
                answer.AddRange([0x41, (byte)'x', 0, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]);
                return [.. answer];
            }

            case Garbage.ShorterThanHeader:
                return [(byte)(id >> 8), (byte)id, 0x81, 0x80, 0, 1, 0, 1];
            case Garbage.WrongId:
                return AnswerA(query, "192.0.2.99", (ushort)(id ^ 0x5A5A));
            case Garbage.WrongQuestion:
            {
                var bytes = AnswerA(query, "192.0.2.99");
                bytes[HeaderLength + 1] = bytes[HeaderLength + 1] == (byte)'z' ? (byte)'y' : (byte)'z';
                return bytes;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>The question's name, lower case, without the trailing dot.</summary>
    public static string QuestionName(byte[] query)
    {
        var labels = new List<string>();
        for (var position = HeaderLength; query[position] != 0; position += query[position] + 1)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(query, position + 1, query[position]).ToLowerInvariant());
        }

        return string.Join('.', labels);
    }

    // Header (id of the query, QR RD RA, NOERROR, one question) and the query's question; the query's OPT record is left out.
    private static List<byte> Response(byte[] query, int answers)
    {
        var questionEnd = HeaderLength;
        while (query[questionEnd] != 0)
        {
            questionEnd += query[questionEnd] + 1;
        }

        questionEnd += 1 + 4;
        var response = new List<byte>(query[..questionEnd]);
        response[2] = 0x81;
        response[3] = 0x80;
        response[4] = 0;
        response[5] = 1;
        response[6] = 0;
        response[7] = (byte)answers;
        response[8] = response[9] = response[10] = response[11] = 0;
        return response;
    }
}
