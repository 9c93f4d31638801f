using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Deliverability.Core.Placement;

/// <summary>The outcome of submitting one seed's message: when it was accepted, or why not.</summary>
public sealed record SeedSubmission(int SeedIndex, DateTimeOffset? SentAt, string? Error);

/// <summary>
/// Submits the test messages over one SMTP connection to the send path (MailKit), with the send path's envelope sender
/// (<see cref="SendPathOptions.EnvelopeSender"/>) as <c>MAIL FROM</c>, else the From address.
/// </summary>
public sealed class SmtpSeedSender(TimeProvider time)
{
    public async Task<IReadOnlyList<SeedSubmission>> SendAsync(SendPathOptions path, IReadOnlyList<(int SeedIndex, MimeMessage Message)> messages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var results = new List<SeedSubmission>(messages.Count);
        using var client = new SmtpClient { Timeout = (int)Math.Min(timeout.TotalMilliseconds, 60_000) };
        var port = MailSecurity.SmtpPort(path);
        var security = MailSecurity.Parse(path.Security);
        var where = $"send path '{path.Name}' ({path.Host}:{port})";
        try
        {
            await client.ConnectAsync(path.Host, port, security, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(path.User))
            {
                await client.AuthenticateAsync(path.User, path.Password, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = $"{where}: {MailFailure.Describe(ex, "SMTP", security, port)}";
            return [.. messages.Select(m => new SeedSubmission(m.SeedIndex, null, reason))];
        }

        string? connectionLost = null;
        foreach (var (seedIndex, message) in messages)
        {
            if (connectionLost is not null)
            {
                results.Add(new SeedSubmission(seedIndex, null, connectionLost));
                continue;
            }

            try
            {
                await client.SendAsync(message, EnvelopeSender(path, message), message.To.Mailboxes, cancellationToken).ConfigureAwait(false);
                results.Add(new SeedSubmission(seedIndex, time.GetUtcNow(), null));
            }
            catch (SmtpCommandException ex)
            {
                // One recipient refused: the others go on over the same connection.
                results.Add(new SeedSubmission(seedIndex, null, $"{where} refused the message: {(int)ex.StatusCode} {ex.Message}"));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ServiceNotConnectedException or SmtpProtocolException or TimeoutException
                or (OperationCanceledException and not TaskCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                connectionLost = $"{where}: {MailFailure.Describe(ex, "SMTP", security, port)}";
                results.Add(new SeedSubmission(seedIndex, null, connectionLost));
            }
        }

        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ProtocolException)
            {
                // Every message is already accepted; a rude close changes nothing.
            }
        }

        return results;
    }

    private static MailboxAddress EnvelopeSender(SendPathOptions path, MimeMessage message) => string.IsNullOrWhiteSpace(path.EnvelopeSender)
        ? new MailboxAddress("", message.From.Mailboxes.First().Address)
        : MailboxAddress.Parse(path.EnvelopeSender.Trim());
}
