using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Monitor.Core.Placement;

/// <summary>Turns a mail-protocol failure into a reason an operator can act on. Never includes a password.</summary>
public static class MailFailure
{
    public static string Describe(Exception exception, string protocol) => exception switch
    {
        MailKit.Security.AuthenticationException ex =>
            $"{protocol} login refused: bad user name or password ({ex.Message.TrimEnd('.')})",
        SslHandshakeException ex => $"TLS handshake failed: {FirstLine(ex.InnerException?.Message ?? ex.Message)}",
        System.Security.Authentication.AuthenticationException ex => $"TLS handshake failed: {FirstLine(ex.Message)}",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "unreachable: connection refused",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "unreachable: the host name does not resolve",
        SocketException ex => $"unreachable: {ex.SocketErrorCode}",
        TimeoutException => "unreachable: the server did not answer in time",
        OperationCanceledException => "the server did not answer in time",
        ImapCommandException ex => $"{protocol} command failed: {ex.Response} {ex.ResponseText}",
        ServiceNotConnectedException => "the connection was closed",
        ProtocolException ex => $"{protocol} protocol error: {FirstLine(ex.Message)}",
        IOException ex => $"connection lost: {FirstLine(ex.Message)}",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
