namespace Deliverability.Core.SendEvents;

/// <summary>
/// <c>Monitor:SendEvents</c>: the webhook sources (one per ESP account), the Postfix logs to tail, how events map to
/// streams, which tags mark a critical message, and what is kept of each recipient and for how long.
/// </summary>
public sealed class SendEventsOptions
{
    public const string SectionName = "Monitor:SendEvents";

    public List<SendEventSourceOptions> Sources { get; set; } = [];

    public List<PostfixLogOptions> PostfixLogs { get; set; } = [];

    /// <summary>Streams by match (<c>tag:</c>, <c>campaign:</c>, <c>stream:</c>, <c>configset:</c>, <c>source:</c>, <c>domain:</c>); the first that matches wins, else "default".</summary>
    public List<SendStreamOptions> Streams { get; set; } = [];

    /// <summary>Tags (SendGrid categories, Mailgun tags, Postmark Tag, Mailjet custom campaign, SES tags) that mark a message critical.</summary>
    public List<string> CriticalTags { get; set; } = [];

    /// <summary>The key of the recipient hash (HMAC-SHA256). Required when any source or log is configured, unless addresses are kept.</summary>
    public string? RecipientHashKey { get; set; }

    /// <summary>Store the recipient address itself instead of its keyed hash. Off by default (personal data).</summary>
    public bool KeepRecipientAddresses { get; set; }

    /// <summary>Events and quarantined bodies older than this many days are deleted.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>The largest webhook body accepted, in bytes (SendGrid posts up to 768 KB).</summary>
    public int MaxRequestBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Whether the service may call out (the SNS SubscribeURL). Off: a subscription to confirm is recorded for the operator.</summary>
    public bool OutboundCalls { get; set; } = true;

    public const int MaxRequestBytesLimit = 64 * 1024 * 1024;

    public SendEventSourceOptions? Source(string name) =>
        Sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One webhook source: <c>POST /hooks/{Name}</c> in the format of <see cref="Provider"/>, authenticated by that provider's scheme.</summary>
public sealed class SendEventSourceOptions
{
    public string Name { get; set; } = "";

    /// <summary>mailjet | sendgrid | mailgun | ses | postmark | generic</summary>
    public string Provider { get; set; } = "";

    /// <summary>SendGrid: the verification key (base64 DER of the P-256 public key, as SendGrid shows it).</summary>
    public string? PublicKey { get; set; }

    /// <summary>SendGrid, Mailgun, SES and generic: how old a signed timestamp may be (and how far ahead).</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Mailgun: the HTTP webhook signing key.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Mailjet and Postmark: basic auth (the user and password in the URL given to the provider).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Postmark: a custom header and its secret value, checked as well as (or instead of) basic auth.</summary>
    public string? HeaderName { get; set; }

    public string? HeaderValue { get; set; }

    /// <summary>SES: the SNS topics accepted; anything else is refused.</summary>
    public List<string> TopicArns { get; set; } = [];

    /// <summary>Generic: the bearer token of the in-house MTA.</summary>
    public string? Token { get; set; }
}

/// <summary>A Postfix mail log to tail, or journald to follow.</summary>
public sealed class PostfixLogOptions
{
    /// <summary>The source name of its events.</summary>
    public string Name { get; set; } = "";

    /// <summary>The log file (rotation-safe), e.g. /var/log/mail.log. Either this or <see cref="Journal"/>.</summary>
    public string? Path { get; set; }

    /// <summary>Follow journald with <c>journalctl -o json -f</c> instead of a file.</summary>
    public bool Journal { get; set; }

    /// <summary>The journal unit to follow (<c>-u</c>), default postfix.</summary>
    public string JournalUnit { get; set; } = "postfix*";

    /// <summary>How often the file is checked for new lines, rotation or truncation.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>A stream and the events it holds.</summary>
public sealed class SendStreamOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>tag:receipt</c>, <c>campaign:orders</c>, <c>stream:outbound</c> (Postmark), <c>configset:tx</c> (SES), <c>source:mta1</c>, <c>domain:mail.example.com</c>.</summary>
    public List<string> Match { get; set; } = [];

    /// <summary>Transactional mail: its delivery latency is watched.</summary>
    public bool Transactional { get; set; }
}
