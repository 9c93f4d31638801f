using Deliverability.Core.SendEvents.MailboxProviders;

namespace Deliverability.Core.Tests.SendEvents.Sending;

/// <summary>
/// A private stand-in of the mailbox-provider classifier (the send-events sources own the real one, by MX): a fixed
/// table of recipient domains, counting its calls, so the processor is tested on its own.
/// </summary>
internal sealed class TestMailboxProviders : IMailboxProviderClassifier
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["gmail.com"] = "gmail",
        ["googlemail.com"] = "gmail",
        ["yahoo.com"] = "yahoo",
        ["aol.com"] = "yahoo",
        ["outlook.com"] = "outlook",
        ["hotmail.com"] = "outlook",
        ["orange.fr"] = "orange",
        ["gmx.de"] = "gmx",
        ["icloud.com"] = "apple",
    };

    private int _calls;

    public int Calls => _calls;

    public ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(Known.GetValueOrDefault(recipientDomain, "other"));
    }
}
