using Deliverability.Core.Placement;
using Deliverability.Core.Secrets;

namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>Every problem of a <c>Monitor:DmarcReports</c> section, each naming its key.</summary>
public static class DmarcIngestOptionsValidation
{
    public static IReadOnlyList<string> Problems(DmarcIngestOptions options, string prefix = DmarcIngestOptions.SectionName)
    {
        var problems = new List<string>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Mailboxes.Count; i++)
        {
            var mailbox = options.Mailboxes[i];
            var key = $"{prefix}:Mailboxes:{i}";
            if (string.IsNullOrWhiteSpace(mailbox.Host))
            {
                problems.Add($"{key}:Host: is required");
            }

            if (mailbox.Port is < 0 or > 65535)
            {
                problems.Add($"{key}:Port: must be 0 (the usual port) or 1 to 65535 (was {mailbox.Port})");
            }

            if (!MailSecurity.TryParse(mailbox.Security, out _))
            {
                problems.Add($"{key}:Security: {MailSecurity.Problem(mailbox.Security)}");
            }

            if (string.IsNullOrWhiteSpace(mailbox.User))
            {
                problems.Add($"{key}:User: is required");
            }

            if (string.IsNullOrEmpty(mailbox.Password))
            {
                problems.Add($"{key}:Password: is required (set it in configuration or the environment variable Monitor__DmarcReports__Mailboxes__{i}__Password)");
            }
            else if (ProtectedSecret.IsProtected(mailbox.Password))
            {
                problems.Add($"{key}:Password: the protected value cannot be decrypted with the data-protection keys in use (Secrets:KeysFolder); protect it again with 'monitor secret protect' and the same keys folder as the service");
            }

            if (string.IsNullOrWhiteSpace(mailbox.Folder))
            {
                problems.Add($"{key}:Folder: is required (INBOX for the inbox)");
            }

            if (!string.IsNullOrWhiteSpace(mailbox.DisplayName) && !names.TryAdd(mailbox.DisplayName.Trim(), i))
            {
                problems.Add($"{key}:Name: '{mailbox.DisplayName}' is already used by {prefix}:Mailboxes:{names[mailbox.DisplayName.Trim()]} (give each mailbox its own Name)");
            }
        }

        Between(options.PollInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), $"{prefix}:PollInterval", problems);
        Between(options.RetryInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), $"{prefix}:RetryInterval", problems);
        Between(options.FolderPollInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), $"{prefix}:FolderPollInterval", problems);
        if (options.MaxSaveAttempts is < 1 or > 1000)
        {
            problems.Add($"{prefix}:MaxSaveAttempts: must be 1 to 1000 (was {options.MaxSaveAttempts})");
        }

        if (options.MaxMessageBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            problems.Add($"{prefix}:MaxMessageBytes: must be 1024 to 1073741824 bytes (was {options.MaxMessageBytes})");
        }

        if (options.MaxUploadBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            problems.Add($"{prefix}:MaxUploadBytes: must be 1024 to 1073741824 bytes (was {options.MaxUploadBytes})");
        }

        if (string.IsNullOrWhiteSpace(options.ArchiveFolder) || options.ArchiveFolder.Trim('/').Length == 0)
        {
            problems.Add($"{prefix}:ArchiveFolder: is required (e.g. Archive)");
        }

        var readiness = options.Readiness;
        if (readiness.Days is < 1 or > 366)
        {
            problems.Add($"{prefix}:Readiness:Days: must be 1 to 366 (was {readiness.Days})");
        }

        if (readiness.MinMessages < 0)
        {
            problems.Add($"{prefix}:Readiness:MinMessages: must not be negative (was {readiness.MinMessages})");
        }

        foreach (var (share, name) in new[] { (readiness.QuarantineShare, "QuarantineShare"), (readiness.RejectShare, "RejectShare"), (readiness.KnownSourceShare, "KnownSourceShare") })
        {
            if (share is <= 0 or > 1 || double.IsNaN(share))
            {
                problems.Add($"{prefix}:Readiness:{name}: must be a share above 0 and at most 1, e.g. 0.98 for 98 % (was {share})");
            }
        }

        if (readiness.RejectShare < readiness.QuarantineShare)
        {
            problems.Add($"{prefix}:Readiness:RejectShare: must be at least QuarantineShare ({readiness.QuarantineShare})");
        }

        return problems;
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> problems)
    {
        if (value < min || value > max)
        {
            problems.Add($"{key}: must be {min} to {max} (was {value})");
        }
    }
}

/// <summary>The mailbox passwords of a <c>Monitor:DmarcReports</c> section, each with its configuration key.</summary>
public static class DmarcIngestSecrets
{
    public static IEnumerable<(string Key, Func<string> Get, Action<string> Set)> Of(DmarcIngestOptions options, string prefix = DmarcIngestOptions.SectionName)
    {
        for (var i = 0; i < options.Mailboxes.Count; i++)
        {
            var mailbox = options.Mailboxes[i];
            yield return ($"{prefix}:Mailboxes:{i}:Password", () => mailbox.Password, v => mailbox.Password = v);
        }
    }
}
