using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Deliverability.Core.Placement;

/// <summary>
/// The IMAP steps every mailbox reader of the product takes with an <see cref="ImapAccountOptions"/> account (the
/// placement seeds, the message checks' mailbox): connect and sign in, wait for mail, remove messages, log out.
/// </summary>
public static class ImapSession
{
    public static string Where(ImapAccountOptions account) => $"IMAP {account.Host}:{MailSecurity.ImapPort(account)} as '{account.User}'";

    public static async Task ConnectAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            await DisconnectQuietlyAsync(client).ConfigureAwait(false);
        }

        await client.ConnectAsync(account.Host, MailSecurity.ImapPort(account), MailSecurity.Parse(account.Security), cancellationToken).ConfigureAwait(false);
        await client.AuthenticateAsync(account.User, account.Password, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Until mail arrives in <paramref name="folder"/> (IDLE, where the server offers it; the folder is opened read-only
    /// when it is not open), <paramref name="wake"/> fires, or <paramref name="wait"/> passes.
    /// </summary>
    public static async Task WaitForMailAsync(ImapClient client, IMailFolder folder, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken, CancellationToken wake = default)
    {
        if (wait <= TimeSpan.Zero || wake.IsCancellationRequested)
        {
            return;
        }

        if (!client.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wake);
            try
            {
                await Task.Delay(wait, time, either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            return;
        }

        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        }

        using var done = new CancellationTokenSource(wait, time);
        using var woken = wake.Register(done.Cancel);
        void OnArrival(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += OnArrival;
        try
        {
            await client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            folder.CountChanged -= OnArrival;
        }
    }

    /// <summary>Removes <paramref name="uids"/> from the open <paramref name="folder"/>, and nothing else marked deleted by someone else.</summary>
    public static async Task ExpungeAsync(ImapClient client, IMailFolder folder, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        await folder.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true, cancellationToken).ConfigureAwait(false);
        if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            await folder.ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
        }
        else if ((await folder.SearchAsync(SearchQuery.Deleted, cancellationToken).ConfigureAwait(false)).All(uids.Contains))
        {
            // Without UIDPLUS, EXPUNGE removes every message marked deleted: only when no one else's is.
            await folder.ExpungeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Refused credentials, a TLS failure, a missing folder: trying again at once will not help.</summary>
    public static bool IsFinal(Exception ex) => ex is AuthenticationException or SslHandshakeException
        or System.Security.Authentication.AuthenticationException or FolderNotFoundException;

    /// <summary>A dropped or refused connection, a timeout, a command the server refused: the next round may work.</summary>
    public static bool IsConnectionProblem(Exception ex) => ex is IOException or SocketException or TimeoutException or ProtocolException
        or ServiceNotConnectedException or ServiceNotAuthenticatedException or ImapCommandException or OperationCanceledException;

    public static async Task DisconnectQuietlyAsync(ImapClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, quick.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            // Logging out of a broken connection cannot succeed; the socket is closed either way.
        }
    }
}
