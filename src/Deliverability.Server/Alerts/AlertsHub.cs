using Microsoft.AspNetCore.SignalR;
using Deliverability.Core.Alerts;

namespace Deliverability.Server.Alerts;

/// <summary>
/// <c>/hubs/alerts</c>: every change of alert state, pushed to every connected client as <see cref="MethodName"/> with an
/// <see cref="AlertChangedMessage"/>. Clients only listen; the hub has no methods to call.
/// </summary>
public sealed class AlertsHub : Hub
{
    public const string Path = "/hubs/alerts";

    public const string MethodName = "alertChanged";
}

/// <summary>What <c>alertChanged</c> carries: states in lower case (<c>pending</c>, <c>firing</c>, <c>resolved</c>); <see cref="From"/> is null for a new alert.</summary>
public sealed record AlertChangedMessage(
    string Fingerprint,
    string AlertName,
    string? From,
    string To,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset At,
    string? AcknowledgedBy,
    bool Silenced)
{
    public static AlertChangedMessage Of(AlertChanged change) => new(
        change.Fingerprint,
        change.AlertName,
        change.From?.ToString().ToLowerInvariant(),
        change.To.ToString().ToLowerInvariant(),
        change.Labels,
        change.At,
        change.AcknowledgedBy,
        change.Silenced);
}
