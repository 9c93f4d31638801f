using Deliverability.Core.Alerts;
using Deliverability.Server.Alerts;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>Every problem of <c>Monitor:Alerts</c> is reported at once, each naming its key.</summary>
public sealed class AlertOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.True(new AlertOptionsValidator().Validate(null, new AlertOptions()).Succeeded);

    [Fact]
    public void Each_bad_value_is_named_by_its_full_key()
    {
        var options = new AlertOptions
        {
            ExternalUrl = "monitor.example.com",
            Rules = new AlertRulesOptions { InboxRate = new InboxRateRuleOptions { Threshold = 80 }, CheckStatus = new CheckStatusRuleOptions { ForRuns = 0 } },
            Route = new AlertRouteOptions
            {
                Matchers = ["severity=critical"],
                GroupBy = ["domain name"],
                Routes = [new AlertRouteOptions { Routes = [new AlertRouteOptions { Matchers = ["check=~(spf"] }] }],
            },
            Inhibitions = [new InhibitionOptions { SourceMatchers = ["severity=critical"] }],
            MaintenanceWindows =
            [
                new MaintenanceWindowOptions { Name = "w", StartTime = "02:00", Days = ["Sundy"], TimeZone = "Mars/Olympus" },
                new MaintenanceWindowOptions { Name = "w", Start = DateTimeOffset.UnixEpoch.AddHours(1), End = DateTimeOffset.UnixEpoch },
            ],
        };

        var failures = new AlertOptionsValidator().Validate(null, options).Failures!.ToArray();

        Assert.Contains("Monitor:Alerts:ExternalUrl: 'monitor.example.com' is not an absolute http(s) address", failures);
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:Rules:InboxRate:Threshold: must be a share above 0 and at most 1", StringComparison.Ordinal));
        Assert.Contains("Monitor:Alerts:Rules:CheckStatus:ForRuns: must be 1 to 100 (was 0)", failures);
        Assert.Contains("Monitor:Alerts:Route:Matchers: the root route takes every alert and has no matchers", failures);
        Assert.Contains("Monitor:Alerts:Route:GroupBy: 'domain name' is not a label name (or '...' for all labels)", failures);
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:Route:Routes:0:Routes:0:Matchers:0: 'check=~(spf': the regex does not compile", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:Inhibitions:0: needs SourceMatchers and TargetMatchers", StringComparison.Ordinal));
        Assert.Contains("Monitor:Alerts:MaintenanceWindows:0:Days: 'Sundy' is not a day of the week (Monday ... Sunday)", failures);
        Assert.Contains("Monitor:Alerts:MaintenanceWindows:0:TimeZone: 'Mars/Olympus' is not a known time zone", failures);
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:MaintenanceWindows:1:End: must be after Start", StringComparison.Ordinal));
        Assert.Contains("Monitor:Alerts:MaintenanceWindows:1:Name: 'w' is used by another window", failures);
    }

    [Fact]
    public void A_configured_matcher_that_needs_backtracking_is_refused_at_start_naming_its_key()
    {
        var options = new AlertOptions
        {
            Route = new AlertRouteOptions { Routes = [new AlertRouteOptions { Matchers = ["domain=~(?!test\\.).*"] }] },
            Inhibitions = [new InhibitionOptions { SourceMatchers = ["alertname=BlacklistListed"], TargetMatchers = ["ip=~(\\d+)\\.\\1"] }],
            MaintenanceWindows = [new MaintenanceWindowOptions { Name = "w", Matchers = ["check=~(?>spf|dkim)"], StartTime = "02:00", Duration = TimeSpan.FromHours(1) }],
        };

        var failures = new AlertOptionsValidator().Validate(null, options).Failures!.ToArray();

        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:Route:Routes:0:Matchers:0: 'domain=~(?!test\\.).*': the regex cannot be matched in linear time", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:Inhibitions:0:TargetMatchers:0: 'ip=~(\\d+)\\.\\1': the regex cannot be matched in linear time", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Monitor:Alerts:MaintenanceWindows:0:Matchers: 'check=~(?>spf|dkim)': the regex cannot be matched in linear time", StringComparison.Ordinal));
    }
}
