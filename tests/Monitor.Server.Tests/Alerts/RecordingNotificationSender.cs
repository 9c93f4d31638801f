using Monitor.Core.Alerts;

namespace Monitor.Server.Tests.Alerts;

/// <summary>Stands in for the notifiers: records what the engine hands over, per receiver.</summary>
internal sealed class RecordingNotificationSender(params string[] receivers) : IAlertNotificationSender
{
    private readonly Lock _gate = new();
    private readonly List<AlertGroupNotification> _sent = [];

    public IReadOnlyCollection<string> Receivers { get; } = receivers;

    public IReadOnlyList<AlertGroupNotification> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<AlertGroupNotification> To(string receiver) => Sent.Where(n => n.Receiver == receiver).ToArray();

    public Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add(notification);
        }

        return Task.FromResult(new NotificationOutcome(notification.Receiver, true, 1, null));
    }
}
