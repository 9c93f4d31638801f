namespace Deliverability.Core.Alerts;

/// <summary>A current condition reported by a feature outside the audit (blacklists, placement).</summary>
/// <param name="Since">When the condition was first seen.</param>
public abstract record AlertSignal(DateTimeOffset Since);

/// <summary>An IP or a domain listed on a block list now (after the list's self-test; refusals are never listings).</summary>
/// <param name="Target">The listed IP address or domain.</param>
/// <param name="Domain">The monitored domain the target belongs to, when known.</param>
/// <param name="Meaning">What the list says the listing means.</param>
public sealed record BlacklistListingSignal(
    string Target,
    bool IsIp,
    string Zone,
    DateTimeOffset Since,
    string? Domain = null,
    string? Meaning = null,
    string? DelistUrl = null) : AlertSignal(Since);

/// <summary>The latest inbox rate measured at one mailbox provider (seed placement).</summary>
/// <param name="InboxRate">From 0 to 1.</param>
/// <param name="Messages">How many seed messages the rate is made of.</param>
public sealed record InboxRateSignal(
    string Provider,
    double InboxRate,
    int Messages,
    DateTimeOffset Since,
    string? Domain = null,
    string? Ip = null) : AlertSignal(Since);

/// <summary>
/// A feature's current conditions for the alert rules (the blacklist monitor's listings, the placement runs' inbox
/// rates). Register any number; each evaluation asks all of them. Must not throw for an unavailable feature: return none.
/// </summary>
public interface IAlertSignalSource
{
    Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken);
}
