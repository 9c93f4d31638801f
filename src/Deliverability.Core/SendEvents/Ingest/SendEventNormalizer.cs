using Deliverability.Core.SendEvents.Privacy;
using Deliverability.Core.SendEvents.Sources;

namespace Deliverability.Core.SendEvents.Ingest;

/// <summary>
/// Turns a provider's draft into the stored row: the recipient as its keyed hash and domain, the diagnostic scrubbed of
/// addresses, the stream and critical flag from configuration, every text bounded to its column. No DNS, no I/O: it
/// runs on the request path.
/// </summary>
public sealed class SendEventNormalizer(SendEventsOptions options)
{
    private readonly StreamMap _streams = new(options);
    private readonly RecipientIdentity _recipients = RecipientIdentity.From(options);

    public SendEventRow Normalise(string provider, string source, SendEventDraft draft)
    {
        var sendingDomain = RecipientIdentity.Domain(draft.Sender);
        return new SendEventRow
        {
            Provider = provider,
            Source = source,
            ProviderEventId = DerivedEventId.Bounded(draft.ProviderEventId),
            Stream = _streams.StreamOf(source, sendingDomain, draft.Tags, draft.Campaign, draft.MessageStream, draft.ConfigurationSet),
            SendingDomain = sendingDomain,
            Kind = draft.Kind,
            OccurredAt = draft.OccurredAt.ToUniversalTime(),
            RecipientHash = _recipients.Stored(draft.Recipient),
            RecipientDomain = RecipientIdentity.Domain(draft.Recipient),
            SmtpCode = draft.SmtpCode is >= 200 and < 600 ? draft.SmtpCode : null,
            EnhancedStatus = draft.EnhancedStatus is { Length: <= 16 } status ? status : null,
            Diagnostic = DiagnosticScrubber.Scrub(draft.Diagnostic),
            MessageId = Bound(draft.MessageId?.Trim(), SendEventRowConfiguration.MessageIdLength),
            DeliveryLatencyMs = draft.DeliveryLatencyMs is >= 0 ? draft.DeliveryLatencyMs : null,
            Critical = _streams.IsCritical(draft.Tags, draft.Campaign),
        };
    }

    private static string? Bound(string? text, int length) => string.IsNullOrEmpty(text) ? null : text.Length <= length ? text : text[..length];
}
