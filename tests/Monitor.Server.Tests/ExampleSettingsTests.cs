using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Monitor.Core.Alerts;
using Monitor.Core.Blacklists;
using Monitor.Core.Dns;
using Monitor.Core.Monitoring;
using Monitor.Core.Placement;
using Monitor.Core.Secrets;
using Monitor.Core.Storage;
using Monitor.Server.Alerts;
using Monitor.Server.Auth;
using Monitor.Server.Configuration;
using Monitor.Server.Placement;

namespace Monitor.Server.Tests;

/// <summary><c>appsettings.example.json</c> at the repository root is valid and lists every key of every options class.</summary>
public sealed partial class ExampleSettingsTests
{
    private static readonly IConfiguration Example = new ConfigurationBuilder().AddJsonFile(ExamplePath(), optional: false).Build();

    [Fact]
    public void Example_settings_pass_validation()
    {
        var monitor = Example.GetSection(MonitorOptions.SectionName).Get<MonitorOptions>()!;
        var storage = Example.GetSection(StorageOptions.SectionName).Get<StorageOptions>()!;
        var dns = Example.GetSection(DnsOptions.SectionName).Get<DnsOptions>()!;

        Assert.Empty(new MonitorOptionsValidator().Validate(null, monitor).Failures ?? []);
        Assert.Empty(new StorageOptionsValidator().Validate(null, storage).Failures ?? []);
        Assert.Empty(new DnsOptionsValidator().Validate(null, dns).Failures ?? []);
        Assert.Empty(new AlertOptionsValidator().Validate(null, Example.GetSection(AlertOptions.SectionName).Get<AlertOptions>()!).Failures ?? []);
        Assert.Empty(new SignInOptionsValidator().Validate(null, Example.GetSection(SignInOptions.SectionName).Get<SignInOptions>()!).Failures ?? []);
        Assert.NotEmpty(monitor.Domains);

        var blacklists = Example.GetSection(BlacklistOptions.SectionName).Get<BlacklistOptions>()!;
        Assert.Empty(new BlacklistOptionsValidator().Validate(null, blacklists).Failures ?? []);
        Assert.NotEmpty(blacklists.Zones);
    }

    [Fact]
    public void Example_placement_settings_pass_validation_with_seeds_and_send_paths()
    {
        var placement = Example.GetSection(PlacementOptions.SectionName).Get<PlacementOptions>()!;

        Assert.Empty(new PlacementOptionsValidator().Validate(null, placement).Failures ?? []);
        Assert.NotEmpty(placement.Seeds);
        Assert.NotEmpty(placement.SendPaths);
    }

    [Fact]
    public void Example_settings_list_every_key_of_the_options()
    {
        var listed = Example.AsEnumerable().Select(pair => ArrayIndex().Replace(pair.Key, "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var keys = Keys(MonitorOptions.SectionName, typeof(MonitorOptions))
            .Concat(Keys(StorageOptions.SectionName, typeof(StorageOptions)))
            .Concat(Keys(DnsOptions.SectionName, typeof(DnsOptions)))
            .Concat(Keys(BlacklistOptions.SectionName, typeof(BlacklistOptions)))
            .Concat(Keys(PlacementOptions.SectionName, typeof(PlacementOptions)))
            .Concat(Keys(SecretsOptions.SectionName, typeof(SecretsOptions)))
            .Concat(Keys(AlertOptions.SectionName, typeof(AlertOptions)))
            // API keys provisioned from configuration are secrets: the example shows none (the README documents them).
            .Concat(Keys(SignInOptions.SectionName, typeof(SignInOptions)).Where(k => !k.StartsWith("Auth:ApiKeys", StringComparison.Ordinal)))
            .ToArray();

        Assert.Contains("Monitor:Domains:SendingIps", keys);
        Assert.Contains("Storage:Retention:MaxHistoryPerCheck", keys);
        Assert.Contains("Monitor:Blacklists:Zones:DailyCap", keys);
        Assert.Contains("Monitor:Placement:Seeds:Imap:Password", keys);
        Assert.Contains("Monitor:Alerts:Route:GroupWait", keys);
        Assert.All(keys, key => Assert.Contains(key, listed));
    }

    private static IEnumerable<string> Keys(string prefix, Type type, ImmutableStack<Type>? path = null)
    {
        path = (path ?? []).Push(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var item = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            if (item.IsClass && item != typeof(string) && !path.Contains(item))
            {
                foreach (var nested in Keys(key, item, path))
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
