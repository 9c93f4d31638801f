namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// How long to wait before the next attempt: what the receiver asked for (Retry-After), else exponential backoff with
/// "equal jitter" (half fixed, half random), so many notifications failing together do not retry in lock-step.
/// </summary>
public static class RetryBackoff
{
    /// <param name="failedAttempt">1 after the first attempt failed.</param>
    public static TimeSpan Delay(int failedAttempt, TimeSpan? retryAfter, DeliveryOptions delivery, Random random)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return asked;
        }

        var exponential = delivery.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        var capped = Math.Min(exponential, delivery.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}
