using MailKit.Security;
using Deliverability.Core.Configuration;

namespace Deliverability.Core.Placement;

/// <summary>
/// The <c>Security</c> words of seeds and send paths: <c>none</c>, <c>starttls</c>, <c>ssl</c>. <c>tls</c> is refused
/// (<see cref="AmbiguousTls"/>).
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
    public static string Problem(string? text) => AmbiguousTls.Matches(text) ? AmbiguousTls.Message : $"'{text}' is not a security mode ({Words})";

    /// <summary>
    /// A security word stored by an earlier release, which took <c>tls</c> for <c>ssl</c>: read with the meaning it was
    /// saved with, so a seed or send path added in the dashboard then keeps working.
    /// </summary>
    public static string FromStored(string stored) => AmbiguousTls.Matches(stored) ? "ssl" : stored;

    public static int ImapPort(ImapAccountOptions imap) =>
        imap.Port != 0 ? imap.Port : Parse(imap.Security) == SecureSocketOptions.SslOnConnect ? 993 : 143;

    public static int SmtpPort(SendPathOptions path) => path.Port != 0 ? path.Port : Parse(path.Security) switch
    {
        SecureSocketOptions.SslOnConnect => 465,
        SecureSocketOptions.StartTls => 587,
        _ => 25,
    };
}
