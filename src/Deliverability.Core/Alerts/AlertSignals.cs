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

/// <summary>What is wrong with a send path's readiness for a forecast peak.</summary>
public enum CapacityProblem
{
    /// <summary>The measured capacity covers the forecast peak with less headroom than the safety margin.</summary>
    BelowMargin,

    /// <summary>The measured capacity is under the forecast peak.</summary>
    OverCapacity,

    /// <summary>No load test has measured the send path's capacity.</summary>
    NoLoadTest,

    /// <summary>The send path's latest load test is older than the allowed age.</summary>
    StaleLoadTest,
}

/// <summary>A send path that is not ready for a forecast peak (the capacity plan of the forecasts).</summary>
/// <param name="SendPath">The send path, as load tests name it.</param>
/// <param name="Period">"Forecast" for the whole forecast, or the peak day's name.</param>
/// <param name="Summary">One line with the numbers behind it (required rate, capacity, headroom or age).</param>
public sealed record CapacitySignal(
    string SendPath,
    string Period,
    DateOnly? PeakDate,
    CapacityProblem Problem,
    string Summary,
    DateTimeOffset Since) : AlertSignal(Since);
