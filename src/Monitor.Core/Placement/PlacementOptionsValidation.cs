using MimeKit;
using Monitor.Core.Dns;

namespace Monitor.Core.Placement;

/// <summary>
/// Every problem of a <c>Monitor:Placement</c> section, each naming its key. Shared by the service and the CLI; the
/// service checks <c>Schedule</c> too (a Quartz matter).
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
            if (string.IsNullOrWhiteSpace(seed.Provider))
            {
                problems.Add($"{key}:Provider: is required (the provider the seed stands for, e.g. Gmail)");
            }

            if (!IsMailbox(seed.Address))
            {
                problems.Add($"{key}:Address: '{seed.Address}' is not an email address");
            }
            else if (!addresses.TryAdd(seed.Address.Trim(), i))
            {
                problems.Add($"{key}:Address: '{seed.Address}' is already configured at {prefix}:Seeds:{addresses[seed.Address.Trim()]}");
            }

            ValidateServer(seed.Imap.Host, seed.Imap.Port, seed.Imap.Security, $"{key}:Imap", problems);
            if (string.IsNullOrWhiteSpace(seed.Imap.User))
            {
                problems.Add($"{key}:Imap:User: is required");
            }

            if (string.IsNullOrEmpty(seed.Imap.Password))
            {
                problems.Add($"{key}:Imap:Password: is required (set it in configuration or the environment variable Monitor__Placement__Seeds__{i}__Imap__Password)");
            }

            for (var j = 0; j < seed.Folders.Other.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(seed.Folders.Other[j]))
                {
                    problems.Add($"{key}:Folders:Other:{j}: is empty");
                }
            }
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.SendPaths.Count; i++)
        {
            var path = options.SendPaths[i];
            var key = $"{prefix}:SendPaths:{i}";
            if (string.IsNullOrWhiteSpace(path.Name))
            {
                problems.Add($"{key}:Name: is required");
            }
            else if (!names.TryAdd(path.Name.Trim(), i))
            {
                problems.Add($"{key}:Name: '{path.Name}' is already configured at {prefix}:SendPaths:{names[path.Name.Trim()]}");
            }

            ValidateServer(path.Host, path.Port, path.Security, key, problems);
            if (!string.IsNullOrWhiteSpace(path.User) && string.IsNullOrEmpty(path.Password))
            {
                problems.Add($"{key}:Password: is required when {key}:User is set (or the environment variable Monitor__Placement__SendPaths__{i}__Password)");
            }
        }

        foreach (var (key, get, _) in PlacementSecrets.Of(options, prefix))
        {
            if (Monitor.Core.Secrets.ProtectedSecret.IsProtected(get()))
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

    private static void ValidateServer(string host, int port, string security, string key, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(host) || !(System.Net.IPAddress.TryParse(host.Trim(), out _) || DnsNames.IsValidDomain(host.Trim()) || IsSingleLabel(host.Trim())))
        {
            problems.Add($"{key}:Host: '{host}' is not a host name or IP address");
        }

        if (port is < 0 or > 65535)
        {
            problems.Add($"{key}:Port: must be 1 to 65535, or 0 for the usual port (was {port})");
        }

        if (!MailSecurity.TryParse(security, out _))
        {
            problems.Add($"{key}:Security: '{security}' is not a security mode (none, starttls or ssl)");
        }
    }

    private static bool IsSingleLabel(string host) => host.Length is > 0 and <= 63 && host.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsMailbox(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MailboxAddress.TryParse(text.Trim(), out var address) && address.Address.Contains('@', StringComparison.Ordinal)
        && address.Domain.Length > 0 && address.LocalPart.Length > 0;
}
