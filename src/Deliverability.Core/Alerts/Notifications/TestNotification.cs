namespace Deliverability.Core.Alerts.Notifications;

/// <summary>The notification <c>monitor alerts test &lt;receiver&gt;</c> sends: one firing alert that says it is a test.</summary>
public static class TestNotification
{
    public const string AlertName = "TestNotification";

    public static AlertGroupNotification Create(string receiver, string? externalUrl, DateTimeOffset now)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = AlertName,
            ["severity"] = "info",
            ["receiver"] = receiver,
        };
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = $"Test notification to receiver '{receiver}' from the deliverability monitor",
            ["description"] = "Sent on request to check that this receiver is configured and reachable. No incident is open.",
            ["fix"] = "Nothing to fix: if you read this, the receiver works.",
        };
        // A group key of its own per send: PagerDuty opens a new (test) incident instead of merging into a real one.
        var key = $"{{}}/{{alertname=\"{AlertName}\"}}:{{receiver=\"{receiver}\", sent=\"{now.ToUnixTimeMilliseconds()}\"}}";
        var alert = new NotifiedAlert($"test-{now.ToUnixTimeMilliseconds():x}", NotificationStatus.Firing, labels, annotations, now, null, externalUrl);
        return new AlertGroupNotification(receiver, key, NotificationStatus.Firing, new Dictionary<string, string> { ["alertname"] = AlertName }, [alert], externalUrl);
    }

    /// <summary>Sends the test notification to <paramref name="receiver"/>: the API's and the settings page's "send test notification".</summary>
    public static Task<NotificationOutcome> SendAsync(IAlertNotificationSender sender, ReceiverOptions receiver, string? externalUrl, TimeProvider time, CancellationToken cancellationToken) =>
        sender.SendAsync(Create(receiver.Name.Trim(), externalUrl, time.GetUtcNow()), cancellationToken);
}
