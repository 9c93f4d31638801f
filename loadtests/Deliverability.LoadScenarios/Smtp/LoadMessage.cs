using MimeKit;
using MimeKit.IO;
using MimeKit.Utils;

namespace Deliverability.LoadScenarios.Smtp;

/// <summary>
/// The test message: plain 7-bit text padded to the configured size (headers included), so MailKit sends it as it is.
/// The body's bytes are made once and shared; each worker gets its own <see cref="MimeMessage"/> over them (MailKit
/// may prepare a message before sending it, so one is never shared between concurrent sends).
/// </summary>
internal sealed class LoadMessage
{
    private const int LineLength = 76;
    private readonly byte[] _body;
    private readonly MailboxAddress _from;
    private readonly MailboxAddress _to;

    public LoadMessage(string from, string to, long sizeBytes)
    {
        _from = MailboxAddress.Parse(from);
        _to = MailboxAddress.Parse(to);
        var headers = Measure(Build([]));
        _body = Body(Math.Max(2, sizeBytes - headers));
        SizeBytes = Measure(Build(_body));
    }

    /// <summary>The message's size on the wire (before dot-stuffing).</summary>
    public long SizeBytes { get; }

    /// <summary>A message of its own for one worker, over the shared body.</summary>
    public MimeMessage ForWorker() => Build(_body);

    private MimeMessage Build(byte[] body)
    {
        var message = new MimeMessage
        {
            Subject = "Load test message",
            MessageId = MimeUtils.GenerateMessageId("loadtest.example.com"),
            Date = DateTimeOffset.UnixEpoch,
        };
        message.From.Add(_from);
        message.To.Add(_to);
        var part = new TextPart("plain")
        {
            ContentTransferEncoding = ContentEncoding.SevenBit,
            Content = new MimeContent(new MemoryStream(body, writable: false)),
        };
        part.ContentType.Charset = "us-ascii";
        message.Body = part;
        return message;
    }

    private static long Measure(MimeMessage message)
    {
        using var measuring = new MeasuringStream();
        message.WriteTo(FormatOptions.Default, measuring);
        return measuring.Length;
    }

    // Lines of 'x' of at most 76 characters, each ended by CRLF, exactly `size` (at least 2) bytes in all.
    private static byte[] Body(long size)
    {
        var body = new byte[size];
        body.AsSpan().Fill((byte)'x');
        for (long end = 0; end < size;)
        {
            var next = Math.Min(end + LineLength + 2, size);
            if (size - next == 1)
            {
                next--; // a last line of one byte could not hold its CRLF
            }

            body[next - 2] = (byte)'\r';
            body[next - 1] = (byte)'\n';
            end = next;
        }

        return body;
    }
}
