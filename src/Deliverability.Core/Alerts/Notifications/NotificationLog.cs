using Microsoft.Extensions.Logging;

namespace Deliverability.Core.Alerts.Notifications;

// Every attempt is logged with the receiver's NAME, never its URL, routing key or password.
internal static partial class NotificationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Notification to {Receiver} ({ReceiverType}) delivered on attempt {Attempt}/{MaxAttempts}: status {StatusCode} in {DurationMs:0} ms")]
    public static partial void Delivered(ILogger logger, string receiver, string receiverType, int attempt, int maxAttempts, int? statusCode, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification to {Receiver} ({ReceiverType}) attempt {Attempt}/{MaxAttempts} failed: {Error} (status {StatusCode}) in {DurationMs:0} ms; retrying in {DelayMs:0} ms")]
    public static partial void Retrying(ILogger logger, string receiver, string receiverType, int attempt, int maxAttempts, string? error, string statusCode, double durationMs, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification to {Receiver} ({ReceiverType}) failed on attempt {Attempt}/{MaxAttempts}: {Error} (status {StatusCode}) in {DurationMs:0} ms; giving up: {Reason}")]
    public static partial void Failed(ILogger logger, string receiver, string receiverType, int attempt, int maxAttempts, string? error, string statusCode, double durationMs, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification for unknown receiver {Receiver} dropped (configured: {Configured})")]
    public static partial void UnknownReceiver(ILogger logger, string receiver, string configured);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Resolved notification for group {GroupKey} not sent to {Receiver}: SendResolved is off")]
    public static partial void ResolvedSkipped(ILogger logger, string receiver, string groupKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery attempt to {Receiver} could not be recorded; delivery goes on")]
    public static partial void AttemptNotRecorded(ILogger logger, string receiver, Exception exception);
}
