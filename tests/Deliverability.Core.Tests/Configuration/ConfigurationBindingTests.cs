using Microsoft.Extensions.Configuration;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;

namespace Deliverability.Core.Tests.Configuration;

public sealed class ConfigurationBindingTests
{
    private static IConfigurationSection Section(string name, params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build().GetSection(name);

    [Fact]
    public void Every_value_that_does_not_convert_is_named_and_the_others_are_bound()
    {
        var section = Section(
            PlacementOptions.SectionName,
            ("Monitor:Placement:Timeout", "ten minutes"),
            ("Monitor:Placement:PollInterval", "00:00:30"),
            ("Monitor:Placement:DeleteAfterRun", "maybe"),
            ("Monitor:Placement:Seeds:0:Address", "seed@example.test"),
            ("Monitor:Placement:Seeds:0:Imap:Port", "imaps"),
            ("Monitor:Placement:Seeds:1:Imap:Port", "70000"),
            ("Monitor:Placement:Message:From", "news@example.test"));

        var options = ConfigurationBinding.Bind<PlacementOptions>(section, out var problems);

        Assert.Equal(
        [
            "Monitor:Placement:DeleteAfterRun: 'maybe' is not true or false",
            "Monitor:Placement:Seeds:0:Imap:Port: 'imaps' is not a whole number from -2147483648 to 2147483647",
            "Monitor:Placement:Timeout: 'ten minutes' is not a duration (use hh:mm:ss, e.g. 00:10:00)",
        ], problems.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromMinutes(10), options.Timeout); // the default stays
        Assert.True(options.DeleteAfterRun);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PollInterval);
        Assert.Equal(["seed@example.test", ""], options.Seeds.Select(s => s.Address));
        Assert.Equal((0, 70000), (options.Seeds[0].Imap.Port, options.Seeds[1].Imap.Port));
        Assert.Equal("news@example.test", options.Message.From);
    }

    [Fact]
    public void Nullable_values_lists_and_nested_sections_are_inspected()
    {
        var section = Section(
            AlertOptions.SectionName,
            ("Monitor:Alerts:Route:GroupWait", "a while"),
            ("Monitor:Alerts:Route:RepeatInterval", ""),
            ("Monitor:Alerts:Route:Routes:0:GroupInterval", "later"),
            ("Monitor:Alerts:MaintenanceWindows:0:Duration", "01:00:00"),
            ("Monitor:Alerts:MaintenanceWindows:1:Start", "Black Friday"));

        _ = ConfigurationBinding.Bind<AlertOptions>(section, out var problems);

        Assert.Equal(
        [
            "Monitor:Alerts:MaintenanceWindows:1:Start: 'Black Friday' is not a date and time (e.g. 2025-11-28T00:00:00Z)",
            "Monitor:Alerts:Route:GroupWait: 'a while' is not a duration (use hh:mm:ss, e.g. 00:10:00)",
            "Monitor:Alerts:Route:Routes:0:GroupInterval: 'later' is not a duration (use hh:mm:ss, e.g. 00:10:00)",
        ], problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Numbers_are_read_with_a_decimal_point_whatever_the_culture()
    {
        var section = Section(BlacklistOptions.SectionName, ("Monitor:Blacklists:Zones:0:RateLimitPerSecond", "2.5"), ("Monitor:Blacklists:Zones:1:RateLimitPerSecond", "2,5"));

        var options = ConfigurationBinding.Bind<BlacklistOptions>(section, out var problems);

        Assert.Equal(2.5, options.Zones[0].RateLimitPerSecond);
        Assert.Equal(["Monitor:Blacklists:Zones:1:RateLimitPerSecond: '2,5' is not a number (with '.' as the decimal point, e.g. 1.5)"], problems);
    }

    [Fact]
    public void A_section_without_problems_binds_as_the_binder_does()
    {
        var section = Section(PlacementOptions.SectionName, ("Monitor:Placement:Timeout", "00:05:00"), ("Monitor:Placement:Seeds:0:Imap:Port", "993"));

        var options = ConfigurationBinding.Bind<PlacementOptions>(section, out var problems);
        var expected = section.Get<PlacementOptions>()!;

        Assert.Empty(problems);
        Assert.Equal((expected.Timeout, expected.Seeds[0].Imap.Port), (options.Timeout, options.Seeds[0].Imap.Port));
    }
}
