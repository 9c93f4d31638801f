using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Alerts;

/// <summary>
/// The sender used when no notifier is registered: it logs what would be sent (group, status, alert count; no
/// labels that could carry secrets) to one receiver named <c>log</c>. The notifiers' registration replaces it.
/// </summary>
public sealed partial class LogOnlyNotificationSender(ILogger<LogOnlyNotificationSender> logger) : IAlertNotificationSender
{
    public const string ReceiverName = "log";

    public IReadOnlyCollection<string> Receivers { get; } = [ReceiverName];

    public Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        LogNotification(notification.Receiver, notification.GroupKey, notification.Status, notification.Alerts.Count);
        return Task.FromResult(new NotificationOutcome(notification.Receiver, Delivered: true, Attempts: 1, Error: null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert notification to {Receiver}: group {GroupKey} is {Status} with {Count} alerts (no notifier configured: logged only)")]
    private partial void LogNotification(string receiver, string groupKey, NotificationStatus status, int count);
}
