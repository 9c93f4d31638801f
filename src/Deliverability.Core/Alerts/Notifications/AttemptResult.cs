namespace Deliverability.Core.Alerts.Notifications;

/// <summary>What one attempt says about the next one.</summary>
public enum AttemptVerdict
{
    Delivered,

    /// <summary>A transient failure (429, 5xx, timeout, connection failure, SMTP 4xx): worth another attempt.</summary>
    Retry,

    /// <summary>The receiver refused the message (other 4xx, SMTP 5xx, bad credentials): another attempt would fail the same way.</summary>
    Refused,
}

/// <param name="StatusCode">The HTTP or SMTP status code, when the receiver answered.</param>
/// <param name="Error">Why it failed, in words without secrets.</param>
/// <param name="RetryAfter">How long the receiver asked us to wait (HTTP Retry-After).</param>
public sealed record AttemptResult(AttemptVerdict Verdict, int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public static AttemptResult Delivered(int? statusCode) => new(AttemptVerdict.Delivered, statusCode, null);
}

/// <summary>Sends a notification once to one receiver.</summary>
public interface IReceiverTransport
{
    Task<AttemptResult> AttemptAsync(AlertGroupNotification notification, CancellationToken cancellationToken);
}
