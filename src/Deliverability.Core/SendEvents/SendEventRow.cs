namespace Deliverability.Core.SendEvents;
public sealed class SendEventRow
{
    public long Id { get; set; }
    public required string Provider { get; set; }        // mailjet | sendgrid | mailgun | ses | postmark | generic | postfix
    public required string Source { get; set; }          // the configured source name (the {source} of /hooks/{source})
    public required string ProviderEventId { get; set; } // provider's id for de-duplication (derived hash when it has none)
    public required string Stream { get; set; }          // mapped by configuration from tag/campaign/config set/message stream; "default" when unmapped
    public string? SendingDomain { get; set; }           // From / envelope domain when known (A-label, lower case)
    public SendEventKind Kind { get; set; }
    public DateTimeOffset OccurredAt { get; set; }        // UTC, the provider's event time
    public DateTimeOffset ReceivedAt { get; set; }        // UTC, when we stored it
    public string? RecipientHash { get; set; }           // keyed hash (HMAC-SHA256, hex) of the lower-cased address; the address itself only when configured to keep it
    public string? RecipientDomain { get; set; }         // A-label, lower case, in clear
    public string? MailboxProvider { get; set; }         // gmail | yahoo | outlook | apple | orange | gmx | ... | other; null until classified (events-live's processor fills it)
    public int? SmtpCode { get; set; }
    public string? EnhancedStatus { get; set; }          // "5.7.1"
    public string? Diagnostic { get; set; }              // scrubbed of addresses, <= 1,000 chars
    public string? MessageId { get; set; }
    public long? DeliveryLatencyMs { get; set; }         // accepted -> delivered when the source says
    public bool Critical { get; set; }                   // the message is tagged critical (configured tag names)
    public DateTimeOffset? ProcessedAt { get; set; }      // null until events-live's processor rolled it up
}
