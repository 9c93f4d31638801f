using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Deliverability.Core.Dns.Wire;

namespace Deliverability.Core.Dns.Transport;

/// <summary>
/// One query over TCP (RFC 7766), used when a UDP answer comes back truncated. Each message is preceded by its length in
/// two bytes. A connection per query: truncation is rare enough that keeping connections would not pay.
/// </summary>
internal static class TcpExchange
{
    public static async Task<ExchangeReply> ExchangeAsync(IPEndPoint server, Memory<byte> query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteUInt16BigEndian(query.Span, QueryIds.Next());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var framed = ArrayPool<byte>.Shared.Rent(query.Length + 2);
        byte[]? answer = null;
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed.AsMemory(2));
            await socket.SendAsync(framed.AsMemory(0, query.Length + 2), SocketFlags.None, deadline.Token).ConfigureAwait(false);

            await ReceiveExactlyAsync(socket, framed.AsMemory(0, 2), deadline.Token).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt16BigEndian(framed);
            answer = ArrayPool<byte>.Shared.Rent(Math.Max((int)length, 1));
            await ReceiveExactlyAsync(socket, answer.AsMemory(0, length), deadline.Token).ConfigureAwait(false);
            if (!DnsResponseDecoder.Answers(answer.AsSpan(0, length), query.Span))
            {
                throw new MalformedDnsMessageException("the TCP answer does not repeat the query's id and question");
            }

            var reply = new ExchangeReply(ExchangeOutcome.Answered, answer, length, null);
            answer = null;
            return reply;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ExchangeReply.TimedOut;
        }
        catch (SocketException ex)
        {
            return ExchangeReply.Failed($"TCP to {server} failed ({ex.SocketErrorCode})");
        }
        catch (EndOfStreamException)
        {
            return ExchangeReply.Failed($"{server} closed the TCP connection before the whole answer");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(framed);
            if (answer is not null)
            {
                ArrayPool<byte>.Shared.Return(answer);
            }
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            buffer = buffer[read..];
        }
    }
}
