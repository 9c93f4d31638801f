namespace Deliverability.Core.SendEvents.Sources;

/// <summary>One event as a provider described it, before normalisation (the recipient still in clear, tags still raw).</summary>
public sealed record SendEventDraft
{
    public required string ProviderEventId { get; init; }

    public required SendEventKind Kind { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? Recipient { get; init; }

    /// <summary>The From or envelope sender address, or its domain.</summary>
    public string? Sender { get; init; }

    public int? SmtpCode { get; init; }

    public string? EnhancedStatus { get; init; }

    public string? Diagnostic { get; init; }

    public string? MessageId { get; init; }

    public long? DeliveryLatencyMs { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Campaign { get; init; }

    /// <summary>Postmark's message stream, or a stream the generic format names.</summary>
    public string? MessageStream { get; init; }

    /// <summary>SES configuration set.</summary>
    public string? ConfigurationSet { get; init; }
}

/// <summary>A body that is not in the provider's format: answered 400 with <see cref="Exception.Message"/> and quarantined.</summary>
public sealed class SendEventFormatException(string reason) : Exception(reason);
