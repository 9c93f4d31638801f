namespace Deliverability.Core.Alerts.Notifications;

/// <summary>The kinds of receiver a notification can go to.</summary>
public enum ReceiverType
{
    Webhook,
    Slack,
    PagerDuty,
    Teams,
    Email,
}

/// <summary>
/// The <c>Monitor:Alerts</c> keys the notifiers read: the receivers and how delivery retries. The alert engine binds its
/// own keys (rules, routes, silences) of the same section to its own options class.
/// </summary>
public sealed class AlertReceiversOptions
{
    public const string SectionName = "Monitor:Alerts";

    public List<ReceiverOptions> Receivers { get; set; } = [];

    public DeliveryOptions Delivery { get; set; } = new();
}

/// <summary>How failed deliveries are retried, for every receiver.</summary>
public sealed class DeliveryOptions
{
    /// <summary>The wait before the second attempt; it doubles at each retry (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>No retry starts after this time from the first attempt (a Retry-After longer than what is left ends the delivery).</summary>
    public TimeSpan MaxDeliveryTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many recent delivery attempts the <c>notification_attempts</c> table keeps (for the dashboard).</summary>
    public int AttemptsKept { get; set; } = 1000;
}

/// <summary>One receiver. Its URL, routing key and password are secrets: never logged, never returned by the API.</summary>
public sealed class ReceiverOptions
{
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The name that alert routes and <c>monitor alerts test</c> use.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>webhook</c>, <c>slack</c>, <c>pagerduty</c>, <c>teams</c> or <c>email</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The webhook, Slack or Teams address; for PagerDuty the Events API v2 address (default <see cref="PagerDutyEventsUrl"/>).</summary>
    public string? Url { get; set; }

    /// <summary>The PagerDuty integration (routing) key of the service.</summary>
    public string? RoutingKey { get; set; }

    public EmailReceiverOptions Email { get; set; } = new();

    /// <summary>Also notify when an incident is resolved.</summary>
    public bool SendResolved { get; set; } = true;

    /// <summary>The longest one attempt may take (connect, send, answer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per notification, the first one included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Webhook only: at most this many alerts in one payload (0 = all); the rest are counted in <c>truncatedAlerts</c>.</summary>
    public int MaxAlerts { get; set; }

    public ReceiverType? ParsedType => Type.Trim().ToLowerInvariant() switch
    {
        "webhook" => ReceiverType.Webhook,
        "slack" => ReceiverType.Slack,
        "pagerduty" => ReceiverType.PagerDuty,
        "teams" => ReceiverType.Teams,
        "email" => ReceiverType.Email,
        _ => null,
    };

    /// <summary>Where HTTP receivers post: <see cref="Url"/>, or PagerDuty's Events API when none is set.</summary>
    public string? EffectiveUrl => string.IsNullOrWhiteSpace(Url) && ParsedType == ReceiverType.PagerDuty ? PagerDutyEventsUrl : Url?.Trim();
}

/// <summary>An SMTP server and the addresses of an email receiver.</summary>
public sealed class EmailReceiverOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c>, <c>Auto</c> or <c>None</c>.</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>The SMTP user; no authentication when empty.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public List<string> To { get; set; } = [];
}
