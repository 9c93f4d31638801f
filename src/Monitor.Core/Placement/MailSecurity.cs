using MailKit.Security;

namespace Monitor.Core.Placement;

/// <summary>The <c>Security</c> words of seeds and send paths: <c>none</c>, <c>starttls</c>, <c>ssl</c>.</summary>
public static class MailSecurity
{
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
            case "ssl" or "tls":
                options = SecureSocketOptions.SslOnConnect;
                return true;
            default:
                options = SecureSocketOptions.Auto;
                return false;
        }
    }

    public static SecureSocketOptions Parse(string? text) =>
        TryParse(text, out var options) ? options : throw new FormatException($"'{text}' is not a security mode (none, starttls or ssl)");

    public static int ImapPort(ImapAccountOptions imap) =>
        imap.Port != 0 ? imap.Port : Parse(imap.Security) == SecureSocketOptions.SslOnConnect ? 993 : 143;

    public static int SmtpPort(SendPathOptions path) => path.Port != 0 ? path.Port : Parse(path.Security) switch
    {
        SecureSocketOptions.SslOnConnect => 465,
        SecureSocketOptions.StartTls => 587,
        _ => 25,
    };
}
