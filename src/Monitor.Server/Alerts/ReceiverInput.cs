using Monitor.Core.Alerts.Notifications;

namespace Monitor.Server.Alerts;

/// <summary>
/// The receiver form. The URL, routing key and SMTP password are write-only: empty means "keep the stored one" when
/// editing, and they are never filled from the stored values.
/// </summary>
public sealed class ReceiverInput
{
    public static readonly string[] Types = ["webhook", "slack", "pagerduty", "teams", "email"];

    public static readonly string[] EmailSecurities = ["StartTls", "StartTlsWhenAvailable", "SslOnConnect", "Auto", "None"];

    public string Name { get; set; } = "";

    public string Type { get; set; } = "webhook";

    public string Url { get; set; } = "";

    public string RoutingKey { get; set; } = "";

    public string EmailHost { get; set; } = "";

    public int EmailPort { get; set; } = 587;

    public string EmailSecurity { get; set; } = "StartTls";

    public string EmailUser { get; set; } = "";

    public string EmailPassword { get; set; } = "";

    public string EmailFrom { get; set; } = "";

    /// <summary>Addresses separated by commas or spaces.</summary>
    public string EmailTo { get; set; } = "";

    public bool SendResolved { get; set; } = true;

    public bool IsEmail => string.Equals(Type, "email", StringComparison.OrdinalIgnoreCase);

    public bool IsPagerDuty => string.Equals(Type, "pagerduty", StringComparison.OrdinalIgnoreCase);

    public static ReceiverInput From(ReceiverOptions receiver) => new()
    {
        Name = receiver.Name,
        Type = receiver.Type,
        EmailHost = receiver.Email.Host ?? "",
        EmailPort = receiver.Email.Port,
        EmailSecurity = receiver.Email.Security,
        EmailUser = receiver.Email.User ?? "",
        EmailFrom = receiver.Email.From ?? "",
        EmailTo = string.Join(", ", receiver.Email.To),
        SendResolved = receiver.SendResolved,
    };

    public ReceiverOptions ToOptions() => new()
    {
        Name = Name,
        Type = Type,
        Url = IsEmail ? null : Url,
        RoutingKey = IsPagerDuty ? RoutingKey : null,
        SendResolved = SendResolved,
        Email = IsEmail
            ? new EmailReceiverOptions
            {
                Host = EmailHost,
                Port = EmailPort,
                Security = EmailSecurity,
                User = EmailUser,
                Password = EmailPassword,
                From = EmailFrom,
                To = [.. EmailTo.Split([',', ' ', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            }
            : new EmailReceiverOptions(),
    };
}
