namespace Deliverability.Core.SendEvents.MailboxProviders;

public interface IMailboxProviderClassifier
{
    /// <summary>The mailbox provider of a recipient domain ("gmail", "outlook", ..., "other"); never throws for DNS failures ("unknown").</summary>
    ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken);
}
