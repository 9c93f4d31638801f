namespace Deliverability.Core.SendEvents.Alerts;

/// <summary>
/// One sending rule under <c>Monitor:Alerts:Rules</c> (<c>SendVolume</c>, <c>CriticalMessage</c>, <c>SendLatency</c>,
/// <c>SendRate</c>, <c>Throttling</c>). Their thresholds, and so their severities, are <c>Monitor:Sending</c>'s.
/// </summary>
public sealed class SendingRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How long the condition must hold before the alert fires (pending until then).</summary>
    public TimeSpan For { get; set; } = TimeSpan.Zero;

    public SendingRuleOptions Copy() => new() { Enabled = Enabled, For = For };
}
