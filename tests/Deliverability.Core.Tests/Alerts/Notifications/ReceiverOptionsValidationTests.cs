using Deliverability.Core.Alerts.Notifications;

namespace Deliverability.Core.Tests.Alerts.Notifications;

/// <summary>Bad receiver configuration is refused naming the key; the message never quotes a URL, key or password.</summary>
public sealed class ReceiverOptionsValidationTests
{
    private const string SecretUrl = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";

    private static IReadOnlyList<string> Problems(params ReceiverOptions[] receivers) =>
        ReceiverOptionsValidation.Validate(new AlertReceiversOptions { Receivers = [.. receivers] });

    [Fact]
    public void Valid_receivers_of_every_type_pass()
    {
        Assert.Empty(Problems(
            new ReceiverOptions { Name = "hook", Type = "webhook", Url = "https://hooks.example.com/alertmanager" },
            new ReceiverOptions { Name = "slack", Type = "Slack", Url = SecretUrl },
            new ReceiverOptions { Name = "pd", Type = "pagerduty", RoutingKey = "abc" },
            new ReceiverOptions { Name = "teams", Type = "teams", Url = "https://example.webhook.office.com/workflows/1" },
            new ReceiverOptions { Name = "mail", Type = "email", Email = new EmailReceiverOptions { Host = "smtp.example.com", From = "m@example.com", To = ["o@example.com"] } }));
    }

    [Fact]
    public void Duplicate_names_are_refused_naming_both_keys() =>
        Assert.Contains("Monitor:Alerts:Receivers:1:Name: 'ops' is already the name of Monitor:Alerts:Receivers:0", Problems(
            new ReceiverOptions { Name = "ops", Type = "webhook", Url = "https://a.example.com/" },
            new ReceiverOptions { Name = "OPS", Type = "webhook", Url = "https://b.example.com/" }).Single().Replace("'OPS'", "'ops'", StringComparison.Ordinal));

    [Theory]
    [InlineData("hooks.slack.com/services/XXXXSECRETXXXX")]
    [InlineData("ftp://example.com/XXXXSECRETXXXX")]
    [InlineData("/relative/XXXXSECRETXXXX")]
    public void Malformed_url_is_refused_without_quoting_it(string url)
    {
        var problem = Assert.Single(Problems(new ReceiverOptions { Name = "slack", Type = "slack", Url = url }));

        Assert.StartsWith("Monitor:Alerts:Receivers:0:Url: is not an absolute http:// or https:// URL", problem);
        Assert.DoesNotContain("XXXXSECRETXXXX", problem);
    }

    [Fact]
    public void Missing_url_is_refused_for_http_receivers() =>
        Assert.Equal(["Monitor:Alerts:Receivers:0:Url: is required"], Problems(new ReceiverOptions { Name = "teams", Type = "teams" }));

    [Fact]
    public void Pagerduty_needs_a_routing_key() =>
        Assert.Equal(
            ["Monitor:Alerts:Receivers:0:RoutingKey: is required for a pagerduty receiver (the integration key of the PagerDuty service)"],
            Problems(new ReceiverOptions { Name = "pd", Type = "pagerduty" }));

    [Fact]
    public void Unknown_type_is_refused_naming_the_types() =>
        Assert.Equal(
            ["Monitor:Alerts:Receivers:0:Type: 'sms' is not a receiver type (webhook, slack, pagerduty, teams or email)"],
            Problems(new ReceiverOptions { Name = "x", Type = "sms" }));

    [Fact]
    public void Email_receiver_needs_host_from_and_recipients_and_keeps_the_password_out()
    {
        var problems = Problems(new ReceiverOptions
        {
            Name = "mail",
            Type = "email",
            Email = new EmailReceiverOptions { Port = 70000, Security = "ssl3", User = "u", Password = "", From = "not an address", To = ["ok@example.com", "bad"] },
        });

        Assert.Equal(
            [
                "Monitor:Alerts:Receivers:0:Email:Host: is required for an email receiver",
                "Monitor:Alerts:Receivers:0:Email:Port: must be 1 to 65535 (was 70000)",
                "Monitor:Alerts:Receivers:0:Email:Security: 'ssl3' is not one of None, StartTls, StartTlsWhenAvailable, SslOnConnect, Auto",
                "Monitor:Alerts:Receivers:0:Email:Password: is required when Monitor:Alerts:Receivers:0:Email:User is set",
                "Monitor:Alerts:Receivers:0:Email:From: 'not an address' is not an email address",
                "Monitor:Alerts:Receivers:0:Email:To:1: 'bad' is not an email address",
            ],
            problems);
    }

    [Fact]
    public void Email_security_tls_is_refused_with_the_message_seeds_and_send_paths_get()
    {
        var receiver = new ReceiverOptions
        {
            Name = "mail",
            Type = "email",
            Email = new EmailReceiverOptions { Host = "smtp.example.com", Security = " TLS ", From = "m@example.com", To = ["o@example.com"] },
        };
        var seedProblem = Deliverability.Core.Placement.PlacementOptionsValidation.SendPathProblems(new Deliverability.Core.Placement.SendPathOptions { Name = "p", Host = "smtp.example.com", Security = "tls" }).Single();

        Assert.Equal(["Monitor:Alerts:Receivers:0:Email:Security: " + seedProblem.Message], Problems(receiver));
        Assert.StartsWith("'tls' is ambiguous: write ssl for TLS from the first byte", seedProblem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssl")]
    [InlineData("starttls")]
    [InlineData("none")]
    [InlineData("SslOnConnect")]
    public void Email_security_takes_the_words_of_seeds_and_send_paths_too(string security) =>
        Assert.Empty(Problems(new ReceiverOptions
        {
            Name = "mail",
            Type = "email",
            Email = new EmailReceiverOptions { Host = "smtp.example.com", Security = security, From = "m@example.com", To = ["o@example.com"] },
        }));

    [Fact]
    public void Name_attempts_and_timeout_are_bounded()
    {
        var problems = Problems(new ReceiverOptions { Name = "a b", Type = "webhook", Url = "https://a.example.com/", MaxAttempts = 0, Timeout = TimeSpan.Zero });

        Assert.Contains("Monitor:Alerts:Receivers:0:Name: 'a b' may hold only letters, digits, '-', '_' and '.' (it is used in URLs and on the command line)", problems);
        Assert.Contains("Monitor:Alerts:Receivers:0:MaxAttempts: must be 1 to 20 (was 0)", problems);
        Assert.Contains("Monitor:Alerts:Receivers:0:Timeout: must be more than 0 and at most 00:05:00 (was 00:00:00)", problems);
    }

    [Fact]
    public void Delivery_backoff_must_be_positive_and_ordered()
    {
        var problems = ReceiverOptionsValidation.Validate(new AlertReceiversOptions
        {
            Delivery = new DeliveryOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(1), MaxDeliveryTime = TimeSpan.Zero, AttemptsKept = 0 },
        });

        Assert.Equal(
            [
                "Monitor:Alerts:Delivery:MaxBackoff: must be at least InitialBackoff (was 00:00:01)",
                "Monitor:Alerts:Delivery:MaxDeliveryTime: must be positive (was 00:00:00)",
                "Monitor:Alerts:Delivery:AttemptsKept: must be 1 to 1000000 (was 0)",
            ],
            problems);
    }
}
