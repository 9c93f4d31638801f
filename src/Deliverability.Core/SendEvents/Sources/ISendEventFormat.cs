namespace Deliverability.Core.SendEvents.Sources;

/// <summary>One provider's webhook: checks its credentials or signature, then reads its body into events.</summary>
public interface ISendEventFormat
{
    /// <summary>mailjet, sendgrid, mailgun, ses, postmark or generic.</summary>
    string Provider { get; }

    /// <summary>Never throws for hostile input: every problem is an <see cref="HookOutcome"/>.</summary>
    ValueTask<HookOutcome> ReadAsync(HookRequest request, SendEventSourceOptions source, CancellationToken cancellationToken);
}
