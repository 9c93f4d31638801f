using MailKit;

namespace Deliverability.LoadScenarios.Smtp;

/// <summary>
/// Watches what MailKit writes and reads while it opens a connection (its <see cref="IProtocolLogger"/>), to time the
/// phases MailKit's one ConnectAsync call hides: the banner's arrival ends <c>connect</c>, the first EHLO's complete
/// reply ends <c>ehlo</c>. It notes whether that reply offers STARTTLS. After that it only returns: the message data
/// that flows through it later is not looked at.
/// </summary>
internal sealed class ConnectionReplies : IProtocolLogger
{
    private const int HeadLength = 16;
    private readonly char[] _head = new char[HeadLength];
    private int _column;
    private bool _ehloSent;
    private bool _watching = true;

    /// <summary>The banner's reply code.</summary>
    public TaskCompletionSource<int> Banner { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first EHLO's reply code (complete reply: its last line read).</summary>
    public TaskCompletionSource<int> Ehlo { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the first EHLO reply offered STARTTLS.</summary>
    public bool StartTlsOffered { get; private set; }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (_watching && !_ehloSent && count >= 4 && Banner.Task.IsCompleted)
        {
            var verb = buffer.AsSpan(offset, 4);
            _ehloSent = verb.SequenceEqual("EHLO"u8) || verb.SequenceEqual("HELO"u8) || verb.SequenceEqual("LHLO"u8);
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        if (!_watching)
        {
            return;
        }

        for (var i = offset; i < offset + count; i++)
        {
            var c = (char)buffer[i];
            if (c == '\n')
            {
                EndLine();
                _column = 0;
            }
            else if (c != '\r')
            {
                if (_column < HeadLength)
                {
                    _head[_column] = c;
                }

                _column++;
            }
        }
    }

    public void Dispose()
    {
    }

    private void EndLine()
    {
        var length = Math.Min(_column, HeadLength);
        if (length < 3 || !char.IsAsciiDigit(_head[0]) || !char.IsAsciiDigit(_head[1]) || !char.IsAsciiDigit(_head[2]))
        {
            return;
        }

        var line = _head.AsSpan(0, length);
        if (length >= 12 && line[4..12].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase) && (length == 12 || line[12] == ' '))
        {
            StartTlsOffered = true;
        }

        var final = length == 3 || line[3] == ' ';
        if (!final)
        {
            return;
        }

        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (!Banner.Task.IsCompleted)
        {
            Banner.TrySetResult(code);
        }
        else if (_ehloSent)
        {
            Ehlo.TrySetResult(code);
            _watching = false;
        }
    }
}
