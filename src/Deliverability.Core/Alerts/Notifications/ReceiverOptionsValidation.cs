using MailKit.Security;
using MimeKit;
using Deliverability.Core.Configuration;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// Every problem of the receivers' configuration, each naming its key. Messages never quote a URL, a routing key or a
/// password: a webhook URL is a credential, and these messages reach logs and consoles.
/// </summary>
public static class ReceiverOptionsValidation
{
    private const string Prefix = AlertReceiversOptions.SectionName;

    public static IReadOnlyList<string> Validate(AlertReceiversOptions options)
    {
        var problems = new List<string>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Receivers.Count; i++)
        {
            var receiver = options.Receivers[i];
            var key = $"{Prefix}:Receivers:{i}";
            problems.AddRange(ReceiverProblems(receiver).Select(p => p.Field == "Email:Password"
                ? $"{key}:Email:Password: is required when {key}:Email:User is set"
                : p.WithKey(key)));
            var name = receiver.Name.Trim();
            if (name.Length > 0 && !names.TryAdd(name, i))
            {
                problems.Add($"{key}:Name: '{name}' is already the name of {Prefix}:Receivers:{names[name]}");
            }
        }

        var delivery = options.Delivery;
        if (delivery.InitialBackoff <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Delivery:InitialBackoff: must be positive (was {delivery.InitialBackoff})");
        }

        if (delivery.MaxBackoff < delivery.InitialBackoff)
        {
            problems.Add($"{Prefix}:Delivery:MaxBackoff: must be at least InitialBackoff (was {delivery.MaxBackoff})");
        }

        if (delivery.MaxDeliveryTime <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}:Delivery:MaxDeliveryTime: must be positive (was {delivery.MaxDeliveryTime})");
        }

        if (delivery.AttemptsKept is < 1 or > 1_000_000)
        {
            problems.Add($"{Prefix}:Delivery:AttemptsKept: must be 1 to 1000000 (was {delivery.AttemptsKept})");
        }

        return problems;
    }

    /// <summary>
    /// The rules of one receiver on its own (not the duplicate names), by field below <c>Receivers:N</c>: <c>Name</c>,
    /// <c>Type</c>, <c>Url</c>, <c>RoutingKey</c>, <c>Email:Host</c>, <c>Email:To:0</c>... The dashboard's receiver form
    /// shows them next to its fields.
    /// </summary>
    public static IEnumerable<FieldProblem> ReceiverProblems(ReceiverOptions receiver)
    {
        if (string.IsNullOrWhiteSpace(receiver.Name))
        {
            yield return new("Name", "is required");
        }
        else if (!receiver.Name.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            yield return new("Name", $"'{receiver.Name}' may hold only letters, digits, '-', '_' and '.' (it is used in URLs and on the command line)");
        }

        if (receiver.Timeout <= TimeSpan.Zero || receiver.Timeout > TimeSpan.FromMinutes(5))
        {
            yield return new("Timeout", $"must be more than 0 and at most 00:05:00 (was {receiver.Timeout})");
        }

        if (receiver.MaxAttempts is < 1 or > 20)
        {
            yield return new("MaxAttempts", $"must be 1 to 20 (was {receiver.MaxAttempts})");
        }

        if (receiver.MaxAlerts < 0)
        {
            yield return new("MaxAlerts", $"must not be negative (was {receiver.MaxAlerts})");
        }

        switch (receiver.ParsedType)
        {
            case null:
                yield return new("Type", $"'{receiver.Type}' is not a receiver type (webhook, slack, pagerduty, teams or email)");
                break;
            case ReceiverType.Email:
                foreach (var problem in EmailProblems(receiver.Email))
                {
                    yield return problem with { Field = "Email:" + problem.Field };
                }

                break;
            case ReceiverType.PagerDuty:
                if (UrlProblem(receiver.EffectiveUrl) is { } pagerDutyUrl)
                {
                    yield return new("Url", pagerDutyUrl);
                }

                if (string.IsNullOrWhiteSpace(receiver.RoutingKey))
                {
                    yield return new("RoutingKey", "is required for a pagerduty receiver (the integration key of the PagerDuty service)");
                }

                break;
            default:
                if (UrlProblem(receiver.Url) is { } url)
                {
                    yield return new("Url", url);
                }

                break;
        }
    }

    /// <summary>
    /// The lengths a receiver added in the dashboard or through the settings API may have (<see cref="TextLimits"/>), by
    /// the fields of <see cref="ReceiverProblems"/>.
    /// </summary>
    public static IEnumerable<FieldProblem> ReceiverLengthProblems(ReceiverOptions receiver) =>
    [
        .. TextLimits.Of(
            TextLimits.TooLong("Name", receiver.Name, TextLimits.Name),
            TextLimits.TooLong("Type", receiver.Type, TextLimits.Word),
            TextLimits.TooLong("Url", receiver.Url, TextLimits.Url),
            TextLimits.TooLong("RoutingKey", receiver.RoutingKey, TextLimits.Secret),
            TextLimits.TooLong("Email:Host", receiver.Email.Host, TextLimits.Host),
            TextLimits.TooLong("Email:Security", receiver.Email.Security, TextLimits.Word),
            TextLimits.TooLong("Email:User", receiver.Email.User, TextLimits.Address),
            TextLimits.TooLong("Email:Password", receiver.Email.Password, TextLimits.Secret),
            TextLimits.TooLong("Email:From", receiver.Email.From, TextLimits.Address),
            TextLimits.TooMany("Email:To", receiver.Email.To.Count, TextLimits.ListItems)),
        .. receiver.Email.To.Select((to, i) => TextLimits.TooLong($"Email:To:{i}", to, TextLimits.Address)).OfType<FieldProblem>(),
    ];

    // The URL is never quoted: for Slack, Teams and most webhooks it carries the credential.
    private static string? UrlProblem(string? url) =>
        string.IsNullOrWhiteSpace(url) ? "is required"
        : !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0
            ? "is not an absolute http:// or https:// URL (the value is not shown: it may hold a secret)"
            : null;

    private static IEnumerable<FieldProblem> EmailProblems(EmailReceiverOptions email)
    {
        if (string.IsNullOrWhiteSpace(email.Host))
        {
            yield return new("Host", "is required for an email receiver");
        }

        if (email.Port is < 1 or > 65535)
        {
            yield return new("Port", $"must be 1 to 65535 (was {email.Port})");
        }

        if (AmbiguousTls.Matches(email.Security))
        {
            yield return new("Security", AmbiguousTls.Message);
        }
        else if (ParseSecurity(email.Security) is null)
        {
            yield return new("Security", $"'{email.Security}' is not one of None, StartTls, StartTlsWhenAvailable, SslOnConnect, Auto");
        }

        if (!string.IsNullOrEmpty(email.User) && string.IsNullOrEmpty(email.Password))
        {
            yield return new("Password", "is required when User is set");
        }

        if (!IsEmailAddress(email.From))
        {
            yield return new("From", $"'{email.From}' is not an email address");
        }

        if (email.To.Count == 0)
        {
            yield return new("To", "at least one recipient is required");
        }

        for (var i = 0; i < email.To.Count; i++)
        {
            if (!IsEmailAddress(email.To[i]))
            {
                yield return new($"To:{i}", $"'{email.To[i]}' is not an email address");
            }
        }
    }

    // MimeKit accepts a bare local part ("postmaster"); a receiver needs a full address with a domain.
    private static bool IsEmailAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && MailboxAddress.TryParse(value.Trim(), out var mailbox)
        && mailbox.Address.LastIndexOf('@') is var at and > 0
        && at < mailbox.Address.Length - 1;

    /// <summary>The mode of a receiver's <c>Security</c>; the placement words <c>ssl</c> and <c>starttls</c> mean the same here, and <c>tls</c> nothing (<see cref="AmbiguousTls"/>).</summary>
    internal static SecureSocketOptions? ParseSecurity(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "starttlswhenavailable" => SecureSocketOptions.StartTlsWhenAvailable,
        "sslonconnect" or "ssl" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.Auto,
        _ => null,
    };
}
