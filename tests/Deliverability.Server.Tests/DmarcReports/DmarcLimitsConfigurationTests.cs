namespace Deliverability.Server.Tests.DmarcReports;

/// <summary><c>Monitor:DmarcReports:Limits</c> is bound and checked at start: a bad value stops the service naming its key, no stack trace.</summary>
public sealed class DmarcLimitsConfigurationTests : ServiceFixture
{
    [Fact]
    public async Task Limits_out_of_range_or_unreadable_stop_start_up_each_naming_its_key()
    {
        var messages = await StartUpFailureAsync([
            ("Monitor:DmarcReports:Limits:MaxZipEntries", "0"),
            ("Monitor:DmarcReports:Limits:MaxNesting", "deep"),
            ("Monitor:DmarcReports:Limits:MaxReportBytes", "100"),
            ("Monitor:DmarcReports:Limits:MaxIntervalDays", "400"),
        ]);

        Assert.Contains("Monitor:DmarcReports:Limits:MaxZipEntries: must be 1 to 10000 entries (was 0)", messages, StringComparison.Ordinal);
        Assert.Contains("Monitor:DmarcReports:Limits:MaxNesting:", messages, StringComparison.Ordinal);
        Assert.Contains("Monitor:DmarcReports:Limits:MaxReportBytes: must be 1024 to 68719476736 bytes (was 100)", messages, StringComparison.Ordinal);
        Assert.Contains("Monitor:DmarcReports:Limits:MaxIntervalDays: must be 1 to 366 days (was 400)", messages, StringComparison.Ordinal);
    }
}
