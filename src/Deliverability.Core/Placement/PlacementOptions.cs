namespace Deliverability.Core.Placement;

/// <summary>
/// <c>Monitor:Placement</c>: the seed mailboxes, the send paths, the test message and when runs happen. Passwords come
/// from configuration (or environment variables such as <c>Monitor__Placement__Seeds__0__Imap__Password</c>); they are
/// never logged nor returned by the API.
/// </summary>
public sealed class PlacementOptions
{
    public const string SectionName = "Monitor:Placement";

    public List<SeedMailboxOptions> Seeds { get; set; } = [];

    /// <summary>Where test messages are submitted. The first one is used when a run names none.</summary>
    public List<SendPathOptions> SendPaths { get; set; } = [];

    public PlacementMessageOptions Message { get; set; } = new();

    /// <summary>An interval (<c>06:00:00</c>) or a Quartz cron expression with seconds (<c>0 0 */6 * * ?</c>).</summary>
    public string Schedule { get; set; } = "06:00:00";

    /// <summary>How long a run waits for the messages to arrive before the missing ones are <c>missing</c>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a mailbox is searched again while messages are outstanding (IDLE wakes it earlier on INBOX).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deletes the test messages found, when the run ends.</summary>
    public bool DeleteAfterRun { get; set; } = true;

    /// <summary>The send path called <paramref name="name"/> (case-insensitive), or the first one when null.</summary>
    public SendPathOptions? FindSendPath(string? name) => name is null
        ? SendPaths.FirstOrDefault()
        : SendPaths.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One seed address at a mailbox provider, and the IMAP account its mail lands in.</summary>
public sealed class SeedMailboxOptions
{
    /// <summary>The provider it stands for (Gmail, Outlook, Yahoo, Orange, GMX...): rates are given per provider.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The address test messages are sent to.</summary>
    public string Address { get; set; } = "";

    public ImapAccountOptions Imap { get; set; } = new();

    /// <summary>Which folders mean inbox, spam and other; found through special-use flags and usual names when unset.</summary>
    public SeedFolderOptions Folders { get; set; } = new();
}

public sealed class ImapAccountOptions
{
    public string Host { get; set; } = "";

    /// <summary>0 picks the usual port of <see cref="Security"/>: 993 for ssl, 143 otherwise.</summary>
    public int Port { get; set; }

    /// <summary><c>ssl</c> (implicit TLS, the default), <c>starttls</c> or <c>none</c> (<see cref="MailSecurity"/>).</summary>
    public string Security { get; set; } = "ssl";

    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}

public sealed class SeedFolderOptions
{
    /// <summary>Default <c>INBOX</c>.</summary>
    public string? Inbox { get; set; }

    /// <summary>Default: the folder flagged <c>\Junk</c>, else the first of Junk, Spam, Junk E-mail, Bulk Mail, [Gmail]/Spam.</summary>
    public string? Spam { get; set; }

    /// <summary>Folders searched as <c>other</c> (tabs, Promotions...). Default: every other selectable folder but Sent, Drafts and All Mail.</summary>
    public List<string> Other { get; set; } = [];
}

/// <summary>An SMTP server test messages are submitted to: the real path the production mail takes.</summary>
public sealed class SendPathOptions
{
    public string Name { get; set; } = "";

    public string Host { get; set; } = "";

    /// <summary>0 picks the usual port of <see cref="Security"/>: 465 for ssl, 587 for starttls, 25 for none.</summary>
    public int Port { get; set; }

    /// <summary><c>starttls</c> (the default), <c>ssl</c> or <c>none</c>.</summary>
    public string Security { get; set; } = "starttls";

    /// <summary>Empty: no SMTP authentication.</summary>
    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>
    /// The envelope sender (SMTP <c>MAIL FROM</c>, which receivers record as <c>Return-Path</c>), e.g.
    /// <c>bounces@mail.example.com</c> for a send path with its own bounce domain: SPF is checked, and DMARC alignment
    /// judged, on its domain. Empty: the address of <c>Message:From</c>.
    /// </summary>
    public string EnvelopeSender { get; set; } = "";
}

/// <summary>The test message. A unique token is added to a header (<c>X-Monitor-Placement</c>) and to both bodies.</summary>
public sealed class PlacementMessageOptions
{
    /// <summary>The From address, e.g. <c>"Shop" &lt;news@example.com&gt;</c>: the domain whose authentication is judged.</summary>
    public string From { get; set; } = "";

    public string Subject { get; set; } = "Inbox placement test";

    public string Html { get; set; } = "<p>This is an inbox placement test message.</p>";

    public string Text { get; set; } = "This is an inbox placement test message.";

    /// <summary>The List-Unsubscribe header value, e.g. <c>&lt;https://example.com/u/1&gt;, &lt;mailto:u@example.com&gt;</c>; empty for none.</summary>
    public string ListUnsubscribe { get; set; } = "";

    /// <summary>The List-Unsubscribe-Post header value (RFC 8058: <c>List-Unsubscribe=One-Click</c>); empty for none.</summary>
    public string ListUnsubscribePost { get; set; } = "";
}

/// <summary>The secrets of a placement section, each with its configuration key.</summary>
public static class PlacementSecrets
{
    public static IEnumerable<(string Key, Func<string> Get, Action<string> Set)> Of(PlacementOptions options, string prefix = PlacementOptions.SectionName)
    {
        for (var i = 0; i < options.Seeds.Count; i++)
        {
            var imap = options.Seeds[i].Imap;
            yield return ($"{prefix}:Seeds:{i}:Imap:Password", () => imap.Password, v => imap.Password = v);
        }

        for (var i = 0; i < options.SendPaths.Count; i++)
        {
            var path = options.SendPaths[i];
            yield return ($"{prefix}:SendPaths:{i}:Password", () => path.Password, v => path.Password = v);
        }
    }
}
