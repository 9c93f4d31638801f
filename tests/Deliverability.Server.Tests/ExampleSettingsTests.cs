using Microsoft.Extensions.Configuration;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Placement;
using Deliverability.Core.SendEvents.Alerts;
using Deliverability.Core.Secrets;
using Deliverability.Core.Storage;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using Deliverability.Server.Blacklists;
using Deliverability.Server.Domains;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.LoadTests;
using Deliverability.Server.Metrics;
using Deliverability.Server.Placement;
using Deliverability.Core.SendEvents;
using Deliverability.Server.SendEvents.Hooks;
using Deliverability.Server.LivePush;

namespace Deliverability.Server.Tests;

/// <summary><c>appsettings.example.json</c> at the repository root is valid and lists every key of every options class.</summary>
public sealed class ExampleSettingsTests
{
    private static IConfiguration Example => ExampleSettings.Configuration;

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
        Assert.Empty(new Deliverability.Server.DmarcReports.DmarcIngestOptionsValidator().Validate(null, Example.GetSection(Deliverability.Core.DmarcReports.Mailbox.DmarcIngestOptions.SectionName).Get<Deliverability.Core.DmarcReports.Mailbox.DmarcIngestOptions>()!).Failures ?? []);
        Assert.Empty(new Deliverability.Server.DmarcReports.ReportLimitsValidator().Validate(null, Example.GetSection(Deliverability.Core.DmarcReports.ReportLimits.SectionName).Get<Deliverability.Core.DmarcReports.ReportLimits>()!).Failures ?? []);
        Assert.Empty(new SignInOptionsValidator().Validate(null, Example.GetSection(SignInOptions.SectionName).Get<SignInOptions>()!).Failures ?? []);
        Assert.Empty(new TrustedProxyOptionsValidator().Validate(null, Example.GetSection(TrustedProxyOptions.SectionName).Get<TrustedProxyOptions>()!).Failures ?? []);
        Assert.NotEmpty(monitor.Domains);

        var blacklists = Example.GetSection(BlacklistOptions.SectionName).Get<BlacklistOptions>()!;
        Assert.Empty(new BlacklistOptionsValidator().Validate(null, blacklists).Failures ?? []);
        Assert.NotEmpty(blacklists.Zones);
        Assert.Empty(new LoadTestOptionsValidator().Validate(null, Example.GetSection(LoadTestOptions.SectionName).Get<LoadTestOptions>()!).Failures ?? []);
        var forecasts = Example.GetSection(ForecastOptions.SectionName).Get<ForecastOptions>()!;
        Assert.Empty(new ForecastOptionsValidator().Validate(null, forecasts).Failures ?? []);
        Assert.Empty(new Deliverability.Server.MessageChecks.MessageCheckOptionsValidator().Validate(null, Example.GetSection(Core.MessageChecks.MessageCheckOptions.SectionName).Get<Core.MessageChecks.MessageCheckOptions>()!).Failures ?? []);
        Assert.Equal("mta-bulk", forecasts.SendPathOf("marketing"));
        Assert.Empty(new InfluxOptionsValidator().Validate(null, Example.GetSection(InfluxOptions.SectionName).Get<InfluxOptions>()!).Failures ?? []);
        Assert.Empty(new MetricsOptionsValidator().Validate(null, Example.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()!).Failures ?? []);
        var sendEvents = Example.GetSection(SendEventsOptions.SectionName).Get<SendEventsOptions>()!;
        Assert.Empty(new SendEventsOptionsValidator().Validate(null, sendEvents).Failures ?? []);
        Assert.Equal(6, sendEvents.Sources.Count);
        Assert.Empty(new SendingOptionsValidator().Validate(null, Example.GetSection(SendingOptions.SectionName).Get<SendingOptions>()!).Failures ?? []);
        Assert.Empty(new LivePushOptionsValidator().Validate(null, Example.GetSection(LivePushOptions.SectionName).Get<LivePushOptions>()!).Failures ?? []);
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
        var listed = ExampleSettings.ListedKeys();
        var keys = ExampleSettings.Keys(MonitorOptions.SectionName, typeof(MonitorOptions))
            .Concat(ExampleSettings.Keys(StorageOptions.SectionName, typeof(StorageOptions)))
            .Concat(ExampleSettings.Keys(DnsOptions.SectionName, typeof(DnsOptions)))
            .Concat(ExampleSettings.Keys(BlacklistOptions.SectionName, typeof(BlacklistOptions)))
            .Concat(ExampleSettings.Keys(PlacementOptions.SectionName, typeof(PlacementOptions)))
            .Concat(ExampleSettings.Keys(SecretsOptions.SectionName, typeof(SecretsOptions)))
            .Concat(ExampleSettings.Keys(AlertOptions.SectionName, typeof(AlertOptions)))
            .Concat(ExampleSettings.Keys(LoadTestOptions.SectionName, typeof(LoadTestOptions)))
            .Concat(ExampleSettings.Keys(Deliverability.Core.DmarcReports.Mailbox.DmarcIngestOptions.SectionName, typeof(Deliverability.Core.DmarcReports.Mailbox.DmarcIngestOptions)))
            .Concat(ExampleSettings.Keys(Deliverability.Core.DmarcReports.ReportLimits.SectionName, typeof(Deliverability.Core.DmarcReports.ReportLimits)))
            // Streams is keyed by stream name: the example's marketing stream stands for them.
            .Concat(ExampleSettings.Keys(ForecastOptions.SectionName, typeof(ForecastOptions)).Where(k => k != "Monitor:Forecasts:Streams"))
            .Append("Monitor:Forecasts:Streams:marketing:SendPath")
            // API keys provisioned from configuration are secrets: the example shows none (docs/configuration.md documents them).
            .Concat(ExampleSettings.Keys(SignInOptions.SectionName, typeof(SignInOptions)).Where(k => !k.StartsWith("Auth:ApiKeys", StringComparison.Ordinal)))
            .Concat(ExampleSettings.Keys(TrustedProxyOptions.SectionName, typeof(TrustedProxyOptions)))
            .Concat(ExampleSettings.Keys(MetricsOptions.SectionName, typeof(MetricsOptions)))
            // Tags is keyed by tag name: the example's node tag stands for them.
            .Concat(ExampleSettings.Keys(InfluxOptions.SectionName, typeof(InfluxOptions)).Where(k => k != "Monitor:Influx:Tags" && k != "Monitor:Influx:Enabled"))
            .Append("Monitor:Influx:Tags:node")
            .Concat(ExampleSettings.Keys(Core.MessageChecks.MessageCheckOptions.SectionName, typeof(Core.MessageChecks.MessageCheckOptions)))
            .Concat(ExampleSettings.Keys(SendEventsOptions.SectionName, typeof(SendEventsOptions)))
            .Concat(ExampleSettings.Keys(SendingOptions.SectionName, typeof(SendingOptions)))
            .Concat(ExampleSettings.Keys(LivePushOptions.SectionName, typeof(LivePushOptions)).Where(k => k != "Monitor:LiveFeed:Enabled"))
            .ToArray();

        Assert.Contains("Monitor:Domains:SendingIps", keys);
        Assert.Contains("Storage:Retention:MaxHistoryPerCheck", keys);
        Assert.Contains("Monitor:Blacklists:Zones:DailyCap", keys);
        Assert.Contains("Monitor:Placement:Seeds:Imap:Password", keys);
        Assert.Contains("Monitor:Alerts:Route:GroupWait", keys);
        Assert.All(keys, key => Assert.Contains(key, listed));
    }
}
