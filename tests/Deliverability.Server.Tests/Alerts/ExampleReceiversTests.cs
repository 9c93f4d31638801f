using Microsoft.Extensions.Configuration;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Server.Alerts;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>The receivers of <c>appsettings.example.json</c>: valid, one of each type, every key shown, only fake addresses.</summary>
public sealed class ExampleReceiversTests
{
    private static string ExampleText => ExampleSettings.Text;

    private static IConfiguration Example => ExampleSettings.Configuration;

    private static AlertReceiversOptions Options => Example.GetSection(AlertReceiversOptions.SectionName).Get<AlertReceiversOptions>()!;

    [Fact]
    public void Example_receivers_pass_validation() =>
        Assert.Empty(new AlertReceiversOptionsValidator().Validate(null, Options).Failures ?? []);

    [Fact]
    public void Example_has_a_receiver_of_every_type() =>
        Assert.Equal(Enum.GetValues<ReceiverType>(), Options.Receivers.Select(r => r.ParsedType!.Value).Distinct().Order());

    [Fact]
    public void Example_lists_every_key_of_the_receivers_options()
    {
        var listed = ExampleSettings.ListedKeys();
        var keys = ExampleSettings.Keys(AlertReceiversOptions.SectionName, typeof(AlertReceiversOptions)).ToArray();

        Assert.Contains("Monitor:Alerts:Receivers:Email:Password", keys);
        Assert.Contains("Monitor:Alerts:Delivery:MaxDeliveryTime", keys);
        Assert.All(keys, key => Assert.Contains(key, listed));
    }

    [Fact]
    public void Example_addresses_are_fake_or_public_endpoints()
    {
        var urls = Options.Receivers.Select(r => r.Url).OfType<string>().Select(u => new Uri(u).Host).Distinct();

        Assert.All(urls, host => Assert.True(host == "hooks.example.com" || host == "events.pagerduty.com", host));
        Assert.DoesNotContain("hooks.slack.com", ExampleText);
    }
}
