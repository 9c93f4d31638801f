using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Deliverability.Core.Placement;

/// <summary>
/// Turns a mail-protocol failure into a reason an operator can act on: a TLS mismatch names the <c>Port</c> and
/// <c>Security</c> settings to change. Never includes a password.
/// </summary>
public static class MailFailure
{
    /// <param name="protocol"><c>IMAP</c> or <c>SMTP</c>.</param>
    /// <param name="security">The connection's security mode, to say which setting a TLS mismatch comes from.</param>
    /// <param name="port">The port connected to.</param>
    public static string Describe(Exception exception, string protocol, SecureSocketOptions security, int port) => exception switch
    {
        MailKit.Security.AuthenticationException ex =>
            $"{protocol} login refused: bad user name or password ({ex.Message.TrimEnd('.')})",
        SslHandshakeException { ServerCertificate: null } ex when security == SecureSocketOptions.SslOnConnect =>
            $"TLS handshake failed: the server on port {port} did not answer in TLS ({FirstLine(ex.InnerException?.Message ?? ex.Message)}). "
            + $"The port probably expects a plain connection: set Security to starttls (or none), or use the port of implicit TLS ({ImplicitTlsPort(protocol)})",
        SslHandshakeException ex => $"TLS handshake failed: {FirstLine(ex.InnerException?.Message ?? ex.Message)}",
        System.Security.Authentication.AuthenticationException ex when security == SecureSocketOptions.SslOnConnect =>
            $"TLS handshake failed: the server on port {port} did not answer in TLS ({FirstLine(ex.Message)}). "
            + $"The port probably expects a plain connection: set Security to starttls (or none), or use the port of implicit TLS ({ImplicitTlsPort(protocol)})",
        System.Security.Authentication.AuthenticationException ex => $"TLS handshake failed: {FirstLine(ex.Message)}",
        NotSupportedException when security == SecureSocketOptions.StartTls =>
            $"the server on port {port} does not offer STARTTLS. Set Security to ssl if the port expects TLS from the first byte ({ImplicitTlsPort(protocol)}), "
            + $"use a port that offers STARTTLS ({StartTlsPort(protocol)}), or set none to send in plain text",
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

    private static string ImplicitTlsPort(string protocol) => protocol == "IMAP" ? "usually 993" : "usually 465";

    private static string StartTlsPort(string protocol) => protocol == "IMAP" ? "usually 143" : "usually 587";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..297] + "...";
    }
}
