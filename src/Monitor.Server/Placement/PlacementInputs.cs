using Monitor.Core.Placement;

namespace Monitor.Server.Placement;

/// <summary>
/// The seed form. The password is write-only: empty means "keep the stored one" when editing, and it is never filled
/// from the stored value.
/// </summary>
public sealed class SeedInput
{
    public string Provider { get; set; } = "";

    public string Address { get; set; } = "";

    public string ImapHost { get; set; } = "";

    public int ImapPort { get; set; }

    public string ImapSecurity { get; set; } = "ssl";

    public string ImapUser { get; set; } = "";

    public string ImapPassword { get; set; } = "";

    public string InboxFolder { get; set; } = "";

    public string SpamFolder { get; set; } = "";

    /// <summary>Folder names separated by commas (a name may hold spaces).</summary>
    public string OtherFolders { get; set; } = "";

    public static SeedInput From(SeedMailboxOptions seed) => new()
    {
        Provider = seed.Provider,
        Address = seed.Address,
        ImapHost = seed.Imap.Host,
        ImapPort = seed.Imap.Port,
        ImapSecurity = seed.Imap.Security,
        ImapUser = seed.Imap.User,
        InboxFolder = seed.Folders.Inbox ?? "",
        SpamFolder = seed.Folders.Spam ?? "",
        OtherFolders = string.Join(", ", seed.Folders.Other),
    };

    public SeedMailboxOptions ToOptions() => new()
    {
        Provider = Provider,
        Address = Address,
        Imap = new ImapAccountOptions { Host = ImapHost, Port = ImapPort, Security = ImapSecurity, User = ImapUser, Password = ImapPassword },
        Folders = new SeedFolderOptions
        {
            Inbox = InboxFolder,
            Spam = SpamFolder,
            Other = [.. OtherFolders.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        },
    };
}

/// <summary>The send-path form; the password is write-only as in <see cref="SeedInput"/>.</summary>
public sealed class SendPathInput
{
    public string Name { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public string Security { get; set; } = "starttls";

    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>The SMTP MAIL FROM; empty for the From address.</summary>
    public string EnvelopeSender { get; set; } = "";

    public static SendPathInput From(SendPathOptions path) =>
        new() { Name = path.Name, Host = path.Host, Port = path.Port, Security = path.Security, User = path.User, EnvelopeSender = path.EnvelopeSender };

    public SendPathOptions ToOptions() =>
        new() { Name = Name, Host = Host, Port = Port, Security = Security, User = User, Password = Password, EnvelopeSender = EnvelopeSender };
}
