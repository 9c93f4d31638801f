namespace Deliverability.Load;

/// <summary>A safety policy's answer: allowed, or refused with the reason.</summary>
public readonly record struct PolicyDecision(bool Allowed, string? Reason)
{
    /// <summary>Allowed.</summary>
    public static PolicyDecision Allow { get; } = new(true, null);

    /// <summary>Refused because of <paramref name="reason"/>.</summary>
    public static PolicyDecision Refuse(string reason) => new(false, reason);
}
