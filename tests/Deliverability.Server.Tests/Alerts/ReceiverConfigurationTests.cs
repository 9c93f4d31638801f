namespace Deliverability.Server.Tests.Alerts;

/// <summary>A bad receiver stops start-up naming its key, and the message never quotes the URL, key or password.</summary>
public sealed class ReceiverConfigurationTests : ServiceFixture
{
    [Theory]
    [InlineData("webhook", "Url", "hooks.example.com/XXSECRETXX", "Monitor:Alerts:Receivers:0:Url: is not an absolute http:// or https:// URL")]
    [InlineData("slack", "Url", "ftp://hooks.example.com/XXSECRETXX", "Monitor:Alerts:Receivers:0:Url: is not an absolute http:// or https:// URL")]
    [InlineData("pagerduty", "Url", "not a url XXSECRETXX", "Monitor:Alerts:Receivers:0:RoutingKey: is required for a pagerduty receiver")]
    [InlineData("sms", "Url", "https://hooks.example.com/XXSECRETXX", "Monitor:Alerts:Receivers:0:Type: 'sms' is not a receiver type")]
    public async Task Bad_receiver_stops_start_up_naming_its_key_without_the_secret(string type, string key, string value, string expected)
    {
        var messages = await StartUpFailureAsync([
            ("Monitor:Alerts:Receivers:0:Name", "ops"),
            ("Monitor:Alerts:Receivers:0:Type", type),
            ($"Monitor:Alerts:Receivers:0:{key}", value),
        ]);

        Assert.Contains(expected, messages);
        Assert.DoesNotContain("XXSECRETXX", messages);
    }

    [Fact]
    public async Task Duplicate_receiver_names_stop_start_up()
    {
        var messages = await StartUpFailureAsync([
            ("Monitor:Alerts:Receivers:0:Name", "ops"),
            ("Monitor:Alerts:Receivers:0:Type", "webhook"),
            ("Monitor:Alerts:Receivers:0:Url", "https://hooks.example.com/a"),
            ("Monitor:Alerts:Receivers:1:Name", "ops"),
            ("Monitor:Alerts:Receivers:1:Type", "teams"),
            ("Monitor:Alerts:Receivers:1:Url", "https://hooks.example.com/b"),
        ]);

        Assert.Contains("Monitor:Alerts:Receivers:1:Name: 'ops' is already the name of Monitor:Alerts:Receivers:0", messages);
    }
}
