namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>
/// <c>Monitor:DmarcReports</c>: where reports come from (IMAP mailboxes, a watched folder, uploads) and how a report that
/// cannot be saved is retried. Passwords come from configuration or the environment
/// (<c>Monitor__DmarcReports__Mailboxes__0__Password</c>, or <c>protected:</c> values); they are never logged nor shown.
/// </summary>
public sealed class DmarcIngestOptions
{
    public const string SectionName = "Monitor:DmarcReports";

    public List<ReportMailboxOptions> Mailboxes { get; set; } = [];

    /// <summary>How often a mailbox is read when the server does not offer IDLE, and the longest IDLE before a new pass.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a message (or file) whose save failed waits before it is tried again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many failed saves a message goes to <c>Archive/Unsaved</c> (a file to <c>unsaved/</c>), never deleted.</summary>
    public int MaxSaveAttempts { get; set; } = 5;

    /// <summary>A message or file larger than this is not read: it goes to <c>Archive/Invalid</c> with the reason.</summary>
    public long MaxMessageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The folder the archive folders are made under (<c>Archive/Aggregate</c>, <c>Archive/TLS</c>, <c>Archive/Invalid</c>, <c>Archive/Unsaved</c>).</summary>
    public string ArchiveFolder { get; set; } = "Archive";

    /// <summary>A folder whose files are imported, then moved to its <c>done/</c>, <c>invalid/</c> or <c>unsaved/</c> subfolder. Empty: none.</summary>
    public string? WatchedFolder { get; set; }

    /// <summary>How often the watched folder is read.</summary>
    public TimeSpan FolderPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest upload accepted by <c>POST /api/dmarc/reports</c> and the dashboard.</summary>
    public long MaxUploadBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>When a domain is ready for a stricter DMARC policy.</summary>
    public PolicyReadinessOptions Readiness { get; set; } = new();
}

/// <summary>One IMAP mailbox the receivers' reports are sent to (the <c>rua</c> and TLS-RPT <c>rua</c> address).</summary>
public sealed class ReportMailboxOptions
{
    /// <summary>A short name shown on the DMARC page and in the logs; default the user name.</summary>
    public string Name { get; set; } = "";

    public string Host { get; set; } = "";

    /// <summary>0 picks the usual port of <see cref="Security"/>: 993 for ssl, 143 otherwise.</summary>
    public int Port { get; set; }

    /// <summary><c>ssl</c> (implicit TLS, the default), <c>starttls</c> or <c>none</c>.</summary>
    public string Security { get; set; } = "ssl";

    public string User { get; set; } = "";

    /// <summary>Write-only: never logged, never returned by the API.</summary>
    public string Password { get; set; } = "";

    /// <summary>The folder reports arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? User : Name;
}

/// <summary>
/// The thresholds of the policy readiness verdict: over <see cref="Days"/> days, at least <see cref="MinMessages"/>
/// messages, a DMARC pass share of at least <see cref="QuarantineShare"/> (or <see cref="RejectShare"/>) and every known
/// source passing at least <see cref="KnownSourceShare"/>.
/// </summary>
public sealed class PolicyReadinessOptions
{
    public int Days { get; set; } = 30;

    public long MinMessages { get; set; } = 100;

    public double QuarantineShare { get; set; } = 0.95;

    public double RejectShare { get; set; } = 0.98;

    public double KnownSourceShare { get; set; } = 0.98;
}
