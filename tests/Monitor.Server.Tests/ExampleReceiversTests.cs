using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Monitor.Core.Alerts.Notifications;
using Monitor.Server.Configuration;

namespace Monitor.Server.Tests;

/// <summary>The receivers of <c>appsettings.example.json</c>: valid, one of each type, every key shown, only fake addresses.</summary>
public sealed partial class ExampleReceiversTests
{
    private static readonly string ExampleText = File.ReadAllText(ExamplePath());
    private static readonly IConfiguration Example = new ConfigurationBuilder().AddJsonFile(ExamplePath(), optional: false).Build();

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
        var listed = Example.AsEnumerable().Select(pair => ArrayIndex().Replace(pair.Key, "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var keys = Keys(AlertReceiversOptions.SectionName, typeof(AlertReceiversOptions)).ToArray();

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

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var item = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            if (item.IsClass && item != typeof(string))
            {
                foreach (var nested in Keys(key, item))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    private static string ExamplePath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "appsettings.example.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("appsettings.example.json not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@":\d+")]
    private static partial Regex ArrayIndex();
}
