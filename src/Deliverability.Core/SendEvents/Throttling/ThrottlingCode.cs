namespace Deliverability.Core.SendEvents.Throttling;

/// <summary>Whether a provider slows a sender down (mail retried later) or refuses its mail.</summary>
public enum ThrottlingEffect
{
    /// <summary>Mail is deferred or rate limited: it is retried, and arrives late.</summary>
    Throttled,

    /// <summary>Mail is refused (block list, policy, authentication): it does not arrive.</summary>
    Blocked,
}

/// <summary>
/// A known throttling or blocking reply of a mailbox provider: what it means and what to do. A reply matches when its
/// text holds every one of <see cref="Tokens"/> (case-insensitive), its enhanced status is <see cref="EnhancedStatus"/>
/// (when set) and its recipient's mailbox provider is <see cref="MailboxProvider"/> (when set).
/// </summary>
/// <param name="Id">Stable id of the code, used as the alert label (<c>yahoo-tss04</c>).</param>
/// <param name="Code">The code as the provider writes it (<c>TSS04</c>, <c>4.7.28</c>, <c>S3150</c>).</param>
public sealed record ThrottlingCode(
    string Id,
    string MailboxProvider,
    string Code,
    ThrottlingEffect Effect,
    string Meaning,
    string Action,
    IReadOnlyList<string> Tokens,
    string? EnhancedStatus = null,
    bool ProviderMustMatch = false);
