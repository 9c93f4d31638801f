using MimeKit;
using Deliverability.Core.Configuration;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Placement;

/// <summary>
/// Every problem of a <c>Monitor:Placement</c> section, each naming its key. Shared by the service, the CLI and the
/// dashboard's settings forms (which show the per-field rules of <see cref="SeedProblems"/> and
/// <see cref="SendPathProblems"/> next to each field); the service checks <c>Schedule</c> too (a Quartz matter).
/// </summary>
public static class PlacementOptionsValidation
{
    public static IReadOnlyList<string> Problems(PlacementOptions options, string prefix = PlacementOptions.SectionName)
    {
        var problems = new List<string>();
        var addresses = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Seeds.Count; i++)
        {
            var seed = options.Seeds[i];
            var key = $"{prefix}:Seeds:{i}";
            foreach (var problem in SeedProblems(seed))
            {
                problems.Add(problem.Field == SeedFields.Password
                    ? $"{key}:{problem.Field}: {problem.Message} (set it in configuration or the environment variable Monitor__Placement__Seeds__{i}__Imap__Password)"
                    : problem.WithKey(key));
            }

            if (IsMailbox(seed.Address) && !addresses.TryAdd(seed.Address.Trim(), i))
            {
                problems.Add($"{key}:Address: '{seed.Address}' is already configured at {prefix}:Seeds:{addresses[seed.Address.Trim()]}");
            }
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.SendPaths.Count; i++)
        {
            var path = options.SendPaths[i];
            var key = $"{prefix}:SendPaths:{i}";
            foreach (var problem in SendPathProblems(path))
            {
                problems.Add(problem.Field == SendPathFields.Password
                    ? $"{key}:Password: is required when {key}:User is set (or the environment variable Monitor__Placement__SendPaths__{i}__Password)"
                    : problem.WithKey(key));
            }

            if (!string.IsNullOrWhiteSpace(path.Name) && !names.TryAdd(path.Name.Trim(), i))
            {
                problems.Add($"{key}:Name: '{path.Name}' is already configured at {prefix}:SendPaths:{names[path.Name.Trim()]}");
            }
        }

        foreach (var (key, get, _) in PlacementSecrets.Of(options, prefix))
        {
            if (Deliverability.Core.Secrets.ProtectedSecret.IsProtected(get()))
            {
                problems.Add($"{key}: the protected value cannot be decrypted with the data-protection keys in use (Secrets:KeysFolder); protect it again with 'monitor secret protect' and the same keys folder as the service");
            }
        }

        if (options.Seeds.Count > 0)
        {
            if (options.SendPaths.Count == 0)
            {
                problems.Add($"{prefix}:SendPaths: at least one send path is required when seeds are configured");
            }

            if (!IsMailbox(options.Message.From))
            {
                problems.Add($"{prefix}:Message:From: '{options.Message.From}' is not an address (e.g. \"Shop <news@example.com>\")");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Message.Text) && string.IsNullOrWhiteSpace(options.Message.Html))
        {
            problems.Add($"{prefix}:Message: Text or Html is required");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromHours(24))
        {
            problems.Add($"{prefix}:Timeout: must be 00:00:01 to 1.00:00:00 (was {options.Timeout})");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"{prefix}:PollInterval: must be 00:00:00.1 to 01:00:00 (was {options.PollInterval})");
        }

        return problems;
    }

    /// <summary>The rules of one seed on its own (not the duplicates across seeds), by field (<see cref="SeedFields"/>).</summary>
    public static IEnumerable<FieldProblem> SeedProblems(SeedMailboxOptions seed)
    {
        if (string.IsNullOrWhiteSpace(seed.Provider))
        {
            yield return new(SeedFields.Provider, "is required (the provider the seed stands for, e.g. Gmail)");
        }

        if (!IsMailbox(seed.Address))
        {
            yield return new(SeedFields.Address, $"'{seed.Address}' is not an email address");
        }

        foreach (var problem in ImapAccountProblems(seed.Imap))
        {
            yield return problem;
        }

        for (var j = 0; j < seed.Folders.Other.Count; j++)
        {
            if (string.IsNullOrWhiteSpace(seed.Folders.Other[j]))
            {
                yield return new($"{SeedFields.OtherFolders}:{j}", "is empty");
            }
            else if (seed.Folders.Other[j].Any(char.IsControl))
            {
                yield return new($"{SeedFields.OtherFolders}:{j}", "may not hold control characters (a line break, a tab)");
            }
        }
    }

    /// <summary>The rules of one send path on its own (not the duplicate names), by field (<see cref="SendPathFields"/>).</summary>
    public static IEnumerable<FieldProblem> SendPathProblems(SendPathOptions path)
    {
        if (string.IsNullOrWhiteSpace(path.Name))
        {
            yield return new(SendPathFields.Name, "is required");
        }

        foreach (var problem in ServerProblems(path.Host, path.Port, path.Security))
        {
            yield return problem;
        }

        if (!string.IsNullOrWhiteSpace(path.User) && string.IsNullOrEmpty(path.Password))
        {
            yield return new(SendPathFields.Password, "is required when User is set");
        }

        if (!string.IsNullOrWhiteSpace(path.EnvelopeSender) && !IsBareAddress(path.EnvelopeSender))
        {
            yield return new(SendPathFields.EnvelopeSender, $"'{path.EnvelopeSender}' is not an email address (the SMTP MAIL FROM, e.g. bounces@mail.example.com; empty for the From address)");
        }
    }

    /// <summary>The lengths a seed added in the dashboard or through the settings API may have (<see cref="TextLimits"/>).</summary>
    public static IEnumerable<FieldProblem> SeedLengthProblems(SeedMailboxOptions seed) =>
    [
        .. TextLimits.Of(
            TextLimits.TooLong(SeedFields.Provider, seed.Provider, TextLimits.Name),
            TextLimits.TooLong(SeedFields.Address, seed.Address, TextLimits.Address),
            TextLimits.TooLong(SeedFields.Host, seed.Imap.Host, TextLimits.Host),
            TextLimits.TooLong(SeedFields.Security, seed.Imap.Security, TextLimits.Word),
            TextLimits.TooLong(SeedFields.User, seed.Imap.User, TextLimits.Address),
            TextLimits.TooLong(SeedFields.Password, seed.Imap.Password, TextLimits.Secret),
            TextLimits.TooLong(SeedFields.InboxFolder, seed.Folders.Inbox, TextLimits.Folder),
            TextLimits.TooLong(SeedFields.SpamFolder, seed.Folders.Spam, TextLimits.Folder),
            TextLimits.TooMany(SeedFields.OtherFolders, seed.Folders.Other.Count, TextLimits.ListItems)),
        .. seed.Folders.Other.Select((folder, i) => TextLimits.TooLong($"{SeedFields.OtherFolders}:{i}", folder, TextLimits.Folder)).OfType<FieldProblem>(),
    ];

    /// <summary>The lengths a send path added in the dashboard or through the settings API may have (<see cref="TextLimits"/>).</summary>
    public static IEnumerable<FieldProblem> SendPathLengthProblems(SendPathOptions path) => TextLimits.Of(
        TextLimits.TooLong(SendPathFields.Name, path.Name, TextLimits.Name),
        TextLimits.TooLong(SendPathFields.Host, path.Host, TextLimits.Host),
        TextLimits.TooLong(SendPathFields.Security, path.Security, TextLimits.Word),
        TextLimits.TooLong(SendPathFields.User, path.User, TextLimits.Address),
        TextLimits.TooLong(SendPathFields.Password, path.Password, TextLimits.Secret),
        TextLimits.TooLong(SendPathFields.EnvelopeSender, path.EnvelopeSender, TextLimits.Address));

    /// <summary>The rules of an IMAP account (a seed's, or the message checks' mailbox), by field under it (<c>Imap:Host</c>, ...).</summary>
    public static IEnumerable<FieldProblem> ImapAccountProblems(ImapAccountOptions imap)
    {
        foreach (var problem in ServerProblems(imap.Host, imap.Port, imap.Security))
        {
            yield return problem with { Field = "Imap:" + problem.Field };
        }

        if (string.IsNullOrWhiteSpace(imap.User))
        {
            yield return new(SeedFields.User, "is required");
        }

        if (string.IsNullOrEmpty(imap.Password))
        {
            yield return new(SeedFields.Password, "is required");
        }
    }

    private static IEnumerable<FieldProblem> ServerProblems(string host, int port, string security)
    {
        if (string.IsNullOrWhiteSpace(host) || !(System.Net.IPAddress.TryParse(host.Trim(), out _) || IsAsciiDomainName(host.Trim()) || IsSingleLabel(host.Trim())))
        {
            yield return new("Host", $"'{host}' is not a host name or IP address");
        }

        if (port is < 0 or > 65535)
        {
            yield return new("Port", $"must be 1 to 65535, or 0 for the usual port (was {port})");
        }

        if (!MailSecurity.TryParse(security, out _))
        {
            yield return new("Security", MailSecurity.Problem(security));
        }
    }

    // The mail client connects to the host as written: an ASCII name (a U-label would not be converted on the way).
    private static bool IsAsciiDomainName(string host) => System.Text.Ascii.IsValid(host) && DomainName.IsValid(host);

    private static bool IsSingleLabel(string host) => host.Length is > 0 and <= 63 && host.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // MAIL FROM carries an address alone: a display name ("Bounces <b@example.com>") has no place there.
    private static bool IsBareAddress(string text) =>
        IsMailbox(text) && MailboxAddress.Parse(text.Trim()) is { Name: null or "" } address && address.Address == text.Trim();

    private static bool IsMailbox(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MailboxAddress.TryParse(text.Trim(), out var address) && address.Address.Contains('@', StringComparison.Ordinal)
        && address.Domain.Length > 0 && address.LocalPart.Length > 0;
}

/// <summary>The field names of <see cref="PlacementOptionsValidation.SeedProblems"/>: the keys under <c>Seeds:N</c>.</summary>
public static class SeedFields
{
    public const string Provider = "Provider";
    public const string Address = "Address";
    public const string Host = "Imap:Host";
    public const string Port = "Imap:Port";
    public const string Security = "Imap:Security";
    public const string User = "Imap:User";
    public const string Password = "Imap:Password";
    public const string InboxFolder = "Folders:Inbox";
    public const string SpamFolder = "Folders:Spam";
    public const string OtherFolders = "Folders:Other";
}

/// <summary>The field names of <see cref="PlacementOptionsValidation.SendPathProblems"/>: the keys under <c>SendPaths:N</c>.</summary>
public static class SendPathFields
{
    public const string Name = "Name";
    public const string Host = "Host";
    public const string Port = "Port";
    public const string Security = "Security";
    public const string User = "User";
    public const string Password = "Password";
    public const string EnvelopeSender = "EnvelopeSender";
}
