using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Metrics;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// Delivers the engine's notifications to the configured receivers: one attempt, then retries with backoff on
/// transient failures (429, 5xx, timeouts, connection failures, SMTP 4xx), none on refusals (other 4xx, SMTP 5xx),
/// within <see cref="ReceiverOptions.MaxAttempts"/> and <see cref="DeliveryOptions.MaxDeliveryTime"/>. Every attempt is
/// logged and recorded by receiver name; waits use the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class NotificationSender : IAlertNotificationSender
{
    private readonly IReceiverDirectory _directory;
    private readonly IHttpClientFactory _http;
    private readonly DeliveryOptions _delivery;
    private readonly NotificationAttemptStore _attempts;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationSender> _logger;
    private readonly DeliverabilityMetrics? _metrics;

    public NotificationSender(IOptions<AlertReceiversOptions> options, IReceiverDirectory directory, IHttpClientFactory http, NotificationAttemptStore attempts, TimeProvider time, ILogger<NotificationSender> logger, DeliverabilityMetrics? metrics = null)
    {
        _delivery = options.Value.Delivery;
        _directory = directory;
        _http = http;
        _attempts = attempts;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The names of the receivers as they are now (configured, and added in the dashboard when the service runs).</summary>
    public IReadOnlyCollection<string> Receivers => _directory.Receivers.Select(r => r.Name.Trim()).ToArray();

    /// <summary>The receiver called <paramref name="name"/> (any case), or null.</summary>
    public ReceiverOptions? Find(string name) =>
        _directory.Receivers.FirstOrDefault(r => string.Equals(r.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));

    public async Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        if (Find(notification.Receiver) is not { } found)
        {
            NotificationLog.UnknownReceiver(_logger, notification.Receiver, string.Join(", ", Receivers));
            return new NotificationOutcome(notification.Receiver, Delivered: false, Attempts: 0, $"'{notification.Receiver}' is not a configured receiver");
        }

        var receiver = (Options: found, Transport: Transport(found, _http));
        var options = receiver.Options;
        if (notification.Status == NotificationStatus.Resolved && !options.SendResolved)
        {
            NotificationLog.ResolvedSkipped(_logger, options.Name, notification.GroupKey);
            return new NotificationOutcome(options.Name, Delivered: true, Attempts: 0, null);
        }

        var type = options.ParsedType?.ToString().ToLowerInvariant() ?? options.Type;
        var started = _time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.GetTimestamp();
            var result = await AttemptAsync(receiver.Transport, notification, cancellationToken).ConfigureAwait(false);
            var duration = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;

            if (result.Verdict == AttemptVerdict.Delivered)
            {
                NotificationLog.Delivered(_logger, options.Name, type, attempt, options.MaxAttempts, result.StatusCode, duration);
                await RecordAsync(notification, options, type, attempt, "delivered", result, duration, null, cancellationToken).ConfigureAwait(false);
                _metrics?.NotificationEnded(type, sent: true);
                return new NotificationOutcome(options.Name, Delivered: true, attempt, null);
            }

            var giveUp = GiveUpReason(result, attempt, options.MaxAttempts, started, out var delay);
            if (giveUp is not null)
            {
                NotificationLog.Failed(_logger, options.Name, type, attempt, options.MaxAttempts, result.Error, StatusText(result), duration, giveUp);
                await RecordAsync(notification, options, type, attempt, "failed", result, duration, null, cancellationToken).ConfigureAwait(false);
                _metrics?.NotificationEnded(type, sent: false);
                return new NotificationOutcome(options.Name, Delivered: false, attempt, $"{result.Error} ({giveUp})");
            }

            NotificationLog.Retrying(_logger, options.Name, type, attempt, options.MaxAttempts, result.Error, StatusText(result), duration, delay.TotalMilliseconds);
            await RecordAsync(notification, options, type, attempt, "retrying", result, duration, delay, cancellationToken).ConfigureAwait(false);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The edge of delivery: an unforeseen failure of one receiver is that receiver's failed notification, not the engine's crash.
    private static async Task<AttemptResult> AttemptAsync(IReceiverTransport transport, AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            return await transport.AttemptAsync(notification, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Only the type is kept: an unknown exception's message could quote the receiver's address.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new AttemptResult(AttemptVerdict.Refused, null, $"unexpected failure ({ex.GetType().Name})");
        }
    }

    private static string StatusText(AttemptResult result) => result.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private string? GiveUpReason(AttemptResult result, int attempt, int maxAttempts, DateTimeOffset started, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (result.Verdict == AttemptVerdict.Refused)
        {
            return "the receiver refused it; not retried";
        }

        if (attempt >= maxAttempts)
        {
            return $"{maxAttempts} attempts made";
        }

        delay = RetryBackoff.Delay(attempt, result.RetryAfter, _delivery, Random.Shared);
        var elapsed = _time.GetUtcNow() - started;
        return elapsed + delay > _delivery.MaxDeliveryTime
            ? $"the next attempt would start after the delivery time limit of {_delivery.MaxDeliveryTime}"
            : null;
    }

    private async Task RecordAsync(AlertGroupNotification notification, ReceiverOptions options, string type, int attempt, string outcome, AttemptResult result, double durationMs, TimeSpan? delay, CancellationToken cancellationToken)
    {
        try
        {
            await _attempts.AddAsync(
                new NotificationAttemptRow
                {
                    Receiver = options.Name,
                    ReceiverType = type,
                    GroupKey = notification.GroupKey,
                    Status = AlertText.StatusWord(notification.Status),
                    Attempt = attempt,
                    Result = outcome,
                    StatusCode = result.StatusCode,
                    Error = result.Error,
                    DurationMs = durationMs,
                    NextDelayMs = delay?.TotalMilliseconds,
                    At = _time.GetUtcNow(),
                },
                cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The record is for the dashboard; a database problem must not stop the delivery itself.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            NotificationLog.AttemptNotRecorded(_logger, options.Name, ex);
        }
    }

    private static IReceiverTransport Transport(ReceiverOptions receiver, IHttpClientFactory http) => receiver.ParsedType switch
    {
        ReceiverType.Email => new EmailReceiverTransport(receiver),
        ReceiverType.Slack => new HttpReceiverTransport(http, receiver, SlackMessage.Create),
        ReceiverType.Teams => new HttpReceiverTransport(http, receiver, TeamsMessage.Create),
        ReceiverType.PagerDuty => new HttpReceiverTransport(http, receiver, n => PagerDutyEvent.Create(n, receiver.RoutingKey!.Trim())),
        _ => new HttpReceiverTransport(http, receiver, n => AlertmanagerWebhookPayload.Create(n, receiver.MaxAlerts)),
    };
}
