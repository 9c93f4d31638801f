using MimeKit;

namespace Deliverability.Core.MessageChecks;

/// <summary>The bytes given are not a message that can be checked; the message says why, in one line.</summary>
public sealed class MessageInputException(string message) : Exception(message);

/// <summary>Reads an uploaded or received message (RFC 5322, as a .eml file holds it), bounded in size.</summary>
public static class MessageInput
{
    /// <exception cref="MessageInputException">Empty, too large, or not a message.</exception>
    public static MimeMessage Parse(ReadOnlyMemory<byte> bytes, int maxBytes)
    {
        if (bytes.Length == 0)
        {
            throw new MessageInputException("the message is empty");
        }

        if (bytes.Length > maxBytes)
        {
            throw new MessageInputException($"the message is {bytes.Length} bytes; at most {maxBytes} are accepted");
        }

        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException ex)
        {
            throw new MessageInputException($"not a message (RFC 5322): {ex.Message}");
        }

        if (message.From.Count == 0 && message.Headers.Count(h => h.Id != HeaderId.Unknown) == 0)
        {
            throw new MessageInputException("not a message (RFC 5322): it has no header (an .eml file starts with headers such as From:, To:, Subject:)");
        }

        return message;
    }
}
