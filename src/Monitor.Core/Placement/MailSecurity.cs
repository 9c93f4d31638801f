using MailKit.Security;

namespace Monitor.Core.Placement;

/// <summary>
/// The <c>Security</c> words of seeds and send paths: <c>none</c>, <c>starttls</c>, <c>ssl</c>. <c>tls</c> is refused:
/// some tools mean implicit TLS by it and others (Django, Laravel) STARTTLS, and a guess the wrong way round is the
/// TLS mismatch an operator then has to debug.
/// </summary>
public static class MailSecurity
{
    public const string Words = "none, starttls or ssl";

    public static bool TryParse(string? text, out SecureSocketOptions options)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none":
                options = SecureSocketOptions.None;
                return true;
            case "starttls":
                options = SecureSocketOptions.StartTls;
                return true;
            case "ssl":
                options = SecureSocketOptions.SslOnConnect;
                return true;
            default:
                options = SecureSocketOptions.Auto;
                return false;
        }
    }

    public static SecureSocketOptions Parse(string? text) =>
        TryParse(text, out var options) ? options : throw new FormatException(Problem(text));

    /// <summary>Why <paramref name="text"/> is not a security word, with what to write instead.</summary>
    public static string Problem(string? text) => text?.Trim().ToLowerInvariant() == "tls"
        ? "'tls' is ambiguous: write ssl for TLS from the first byte (ports 993, 465) or starttls for a plain connection upgraded to TLS (ports 143, 587)"
        : $"'{text}' is not a security mode ({Words})";

    /// <summary>
    /// A security word stored by an earlier release, which took <c>tls</c> for <c>ssl</c>: read with the meaning it was
    /// saved with, so a seed or send path added in the dashboard then keeps working.
    /// </summary>
    public static string FromStored(string stored) => string.Equals(stored.Trim(), "tls", StringComparison.OrdinalIgnoreCase) ? "ssl" : stored;

    public static int ImapPort(ImapAccountOptions imap) =>
        imap.Port != 0 ? imap.Port : Parse(imap.Security) == SecureSocketOptions.SslOnConnect ? 993 : 143;

    public static int SmtpPort(SendPathOptions path) => path.Port != 0 ? path.Port : Parse(path.Security) switch
    {
        SecureSocketOptions.SslOnConnect => 465,
        SecureSocketOptions.StartTls => 587,
        _ => 25,
    };
}
