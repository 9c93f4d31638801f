using Deliverability.Core.Placement;
using MimeKit;

namespace Deliverability.Core.MessageChecks.Mailbox;

/// <summary>
/// The check address (<c>Monitor:MessageChecks:Mailbox</c>): a mailbox read over IMAP, like a placement seed's, whose
/// address takes a tag per check (<c>checks+TAG@example.com</c>). Off while <see cref="Address"/> is empty.
/// </summary>
public sealed class CheckMailboxOptions
{
    /// <summary>The mailbox's own address (<c>checks@example.com</c>); its server must deliver <c>checks+anything@</c> to it.</summary>
    public string Address { get; set; } = "";

    /// <summary>How to read it: the same settings as a placement seed's mailbox.</summary>
    public ImapAccountOptions Imap { get; set; } = new();

    /// <summary>The folder the messages arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>How often the mailbox is searched where the server offers no IDLE (and at least this often with it).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an address given out waits for its message.</summary>
    public TimeSpan AddressLifetime { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => !string.IsNullOrWhiteSpace(Address);

    public IEnumerable<string> Problems(string key)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!MailboxAddress.TryParse(Address.Trim(), out var address) || !address.Address.Contains('@', StringComparison.Ordinal) || address.LocalPart.Contains('+', StringComparison.Ordinal))
        {
            yield return $"{key}:Address: '{Address}' is not an email address without a +tag (checks@example.com)";
        }

        foreach (var problem in PlacementOptionsValidation.ImapAccountProblems(Imap))
        {
            yield return problem.Field == SeedFields.Password
                ? $"{key}:{problem.Field}: {problem.Message} (set it in configuration or the environment variable Monitor__MessageChecks__Mailbox__Imap__Password)"
                : problem.WithKey(key);
        }

        if (string.IsNullOrWhiteSpace(Folder) || Folder.Any(char.IsControl))
        {
            yield return $"{key}:Folder: a folder name without control characters (was '{Folder}')";
        }

        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromHours(1))
        {
            yield return $"{key}:PollInterval: 00:00:01 to 01:00:00 (was {PollInterval})";
        }

        if (AddressLifetime < TimeSpan.FromMinutes(1) || AddressLifetime > TimeSpan.FromDays(30))
        {
            yield return $"{key}:AddressLifetime: 00:01:00 to 30.00:00:00 (was {AddressLifetime})";
        }
    }
}

/// <summary>The secrets of <c>Monitor:MessageChecks</c>, each with its configuration key.</summary>
public static class MessageCheckSecrets
{
    public static IEnumerable<(string Key, Func<string> Get, Action<string> Set)> Of(MessageCheckOptions options)
    {
        var imap = options.Mailbox.Imap;
        yield return ($"{MessageCheckOptions.SectionName}:Mailbox:Imap:Password", () => imap.Password, v => imap.Password = v);
    }
}
