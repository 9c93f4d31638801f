namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>What the first bytes of an input say it is; the name or media type it came with is never trusted.</summary>
public enum InputFormat
{
    Unknown,
    Empty,
    Xml,
    Json,
    Gzip,
    Zip,
    Email,
}

public static class InputFormatDetector
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int HeadLength = 1024;

    public static InputFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0)
        {
            return InputFormat.Empty;
        }

        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return InputFormat.Gzip;
        }

        // A local file header; an empty archive starts with the end-of-central-directory record.
        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        {
            return InputFormat.Zip;
        }

        var text = SkipBomAndWhitespace(head);
        if (text.Length == 0)
        {
            return InputFormat.Empty;
        }

        return text[0] switch
        {
            (byte)'<' => InputFormat.Xml,
            (byte)'{' => InputFormat.Json,
            _ => LooksLikeHeaderField(text) ? InputFormat.Email : InputFormat.Unknown,
        };
    }

    private static ReadOnlySpan<byte> SkipBomAndWhitespace(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var i = 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return head[i..];
    }

    /// <summary>An RFC 5322 header field (<c>Name: value</c>, or an mbox <c>From </c> line) starts a message.</summary>
    private static bool LooksLikeHeaderField(ReadOnlySpan<byte> text)
    {
        if (text.StartsWith("From "u8))
        {
            return true;
        }

        for (var i = 0; i < text.Length && i < 78; i++)
        {
            var b = text[i];
            if (b == (byte)':')
            {
                return i > 0;
            }

            // Field names are printable US-ASCII without space or colon.
            if (b <= 32 || b >= 127)
            {
                return false;
            }
        }

        return false;
    }
}
