using MailKit.Net.Smtp;
using MimeKit;

namespace Deliverability.LoadScenarios.Smtp;

/// <summary>
/// MailKit's client, told when the server answered MAIL FROM and the RCPT TOs. MailKit sends them inside one SendAsync
/// call (pipelined when the server offers PIPELINING); these callbacks are where each reply is handled, so a step
/// can end when its reply has been read.
/// </summary>
internal sealed class TimedSmtpClient(ConnectionReplies replies) : SmtpClient(replies)
{
    private EnvelopeReplies? _envelope;

    public ConnectionReplies Replies => replies;

    /// <summary>Starts watching the replies of the next message's envelope.</summary>
    public EnvelopeReplies WatchEnvelope(int recipients) => _envelope = new EnvelopeReplies(recipients);

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        base.OnSenderAccepted(message, mailbox, response);
        _envelope?.Sender((int)response.StatusCode);
    }

    protected override void OnSenderNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        _envelope?.Sender((int)response.StatusCode);
        base.OnSenderNotAccepted(message, mailbox, response);
    }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        base.OnRecipientAccepted(message, mailbox, response);
        _envelope?.Recipient((int)response.StatusCode);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        _envelope?.Recipient((int)response.StatusCode);
        base.OnRecipientNotAccepted(message, mailbox, response);
    }
}

/// <summary>The replies to one message's MAIL FROM and RCPT TOs, as they are read.</summary>
internal sealed class EnvelopeReplies(int recipients)
{
    private int _remaining = recipients;
    private int _worstRecipient;

    /// <summary>MAIL FROM's reply code.</summary>
    public TaskCompletionSource<int> Mail { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The RCPT TOs' reply code: the first refusal, or the last acceptance once every recipient was answered.</summary>
    public TaskCompletionSource<int> Rcpt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Sender(int code)
    {
        Mail.TrySetResult(code);
        if (code >= 400)
        {
            Rcpt.TrySetResult(code); // no RCPT TO follows a refused MAIL FROM
        }
    }

    public void Recipient(int code)
    {
        if (_worstRecipient < 400)
        {
            _worstRecipient = code;
        }

        if (code >= 400 || --_remaining <= 0)
        {
            Rcpt.TrySetResult(_worstRecipient);
        }
    }
}
