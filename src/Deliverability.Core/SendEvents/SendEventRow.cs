namespace Deliverability.Core.SendEvents;

/// <summary>One normalised send event (table <c>send_events</c>), whatever its source.</summary>
public sealed class SendEventRow
{
    public long Id { get; set; }

    /// <summary>mailjet | sendgrid | mailgun | ses | postmark | generic | postfix</summary>
    public required string Provider { get; set; }

    /// <summary>The configured source name (the {source} of /hooks/{source}).</summary>
    public required string Source { get; set; }

    /// <summary>The provider's id for de-duplication (a derived hash when it has none).</summary>
    public required string ProviderEventId { get; set; }

    /// <summary>Mapped by configuration from tag/campaign/config set/message stream; "default" when unmapped.</summary>
    public required string Stream { get; set; }

    /// <summary>From / envelope domain when known (A-label, lower case).</summary>
    public string? SendingDomain { get; set; }

    public SendEventKind Kind { get; set; }

    /// <summary>UTC, the provider's event time.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>UTC, when we stored it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Keyed hash (HMAC-SHA256, hex) of the lower-cased address; the address itself only when configured to keep it.</summary>
    public string? RecipientHash { get; set; }

    /// <summary>A-label, lower case, in clear.</summary>
    public string? RecipientDomain { get; set; }

    /// <summary>gmail | yahoo | outlook | apple | orange | gmx | ... | other; null until classified.</summary>
    public string? MailboxProvider { get; set; }

    public int? SmtpCode { get; set; }

    /// <summary>"5.7.1"</summary>
    public string? EnhancedStatus { get; set; }

    /// <summary>Scrubbed of addresses, at most 1,000 characters.</summary>
    public string? Diagnostic { get; set; }

    public string? MessageId { get; set; }

    /// <summary>Accepted to delivered, when the source says.</summary>
    public long? DeliveryLatencyMs { get; set; }

    /// <summary>The message is tagged critical (configured tag names).</summary>
    public bool Critical { get; set; }

    /// <summary>Null until the processor rolled it up.</summary>
    public DateTimeOffset? ProcessedAt { get; set; }
}
