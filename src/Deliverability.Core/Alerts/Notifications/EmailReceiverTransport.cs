using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>Sends the notification's email through the receiver's SMTP server with MailKit, one connection per attempt.</summary>
public sealed class EmailReceiverTransport(ReceiverOptions receiver) : IReceiverTransport
{
    public async Task<AttemptResult> AttemptAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        var email = receiver.Email;
        using var message = AlertEmail.Create(notification, email);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(receiver.Timeout);
        using var smtp = new SmtpClient { Timeout = (int)receiver.Timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(email.Host!.Trim(), email.Port, ReceiverOptionsValidation.ParseSecurity(email.Security) ?? SecureSocketOptions.StartTls, timeout.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(email.User))
            {
                await smtp.AuthenticateAsync(email.User, email.Password ?? "", timeout.Token).ConfigureAwait(false);
            }

            await smtp.SendAsync(message, timeout.Token).ConfigureAwait(false);
            await smtp.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            return AttemptResult.Delivered(250);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, $"timed out after {receiver.Timeout.TotalSeconds:0.###} s");
        }
        catch (TimeoutException)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, $"timed out after {receiver.Timeout.TotalSeconds:0.###} s");
        }
        catch (SmtpCommandException ex)
        {
            // RFC 5321: 4xx is transient (try again later), 5xx is permanent.
            var code = (int)ex.StatusCode;
            var verdict = code is >= 400 and < 500 ? AttemptVerdict.Retry : AttemptVerdict.Refused;
            return new AttemptResult(verdict, code, $"SMTP {code} ({ex.ErrorCode}): {ex.Message}");
        }
        catch (AuthenticationException)
        {
            return new AttemptResult(AttemptVerdict.Refused, 535, "SMTP authentication failed (check Email:User and Email:Password)");
        }
        catch (SslHandshakeException)
        {
            return new AttemptResult(AttemptVerdict.Refused, null, "TLS handshake with the SMTP server failed (check Email:Security)");
        }
        catch (NotSupportedException)
        {
            return new AttemptResult(AttemptVerdict.Refused, null, "the SMTP server does not offer what Email:Security asks for (STARTTLS or authentication)");
        }
        catch (SocketException ex)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, $"connection failed ({ex.SocketErrorCode})");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, "SMTP connection lost: " + ex.GetType().Name);
        }
    }
}
