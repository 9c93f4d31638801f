namespace Monitor.Server.Tests.Infrastructure;

public sealed class ConfigurationTests : ServiceFixture
{
    [Theory]
    [InlineData("Monitor:Domains:0:Name", "not a domain", "Monitor:Domains:0:Name: 'not a domain' is not a valid domain name")]
    [InlineData("Monitor:Domains:0:SendingIps:0", "300.1.1.1", "Monitor:Domains:0:SendingIps:0: '300.1.1.1' is not an IP address")]
    [InlineData("Monitor:Domains:0:DkimSelectors:0", "bad selector", "Monitor:Domains:0:DkimSelectors:0:")]
    [InlineData("Monitor:Domains:0:ReturnPathDomain", "bounce..example.test", "Monitor:Domains:0:ReturnPathDomain:")]
    [InlineData("Monitor:Audit:Schedule", "every now and then", "Monitor:Audit:Schedule:")]
    [InlineData("Monitor:Audit:Schedule", "00:00:00", "Monitor:Audit:Schedule:")]
    [InlineData("Monitor:Audit:MaxConcurrency", "0", "Monitor:Audit:MaxConcurrency:")]
    [InlineData("Storage:Provider", "Mongo", "Storage:Provider: 'Mongo' is not a storage provider")]
    [InlineData("Storage:ConnectionString", "Data Source=x.db;Colour=blue", "Storage:ConnectionString:")]
    [InlineData("Storage:Retention:HistoryDays", "0", "Storage:Retention:HistoryDays:")]
    [InlineData("Storage:Retention:MaxHistoryPerCheck", "-1", "Storage:Retention:MaxHistoryPerCheck:")]
    [InlineData("Dns:NameServers:0", "dns.example:53", "Dns:NameServers:0:")]
    [InlineData("Dns:TimeoutSeconds", "0", "Dns:TimeoutSeconds:")]
    [InlineData("Monitor:Blacklists:Schedule", "twice a day", "Monitor:Blacklists:Schedule:")]
    [InlineData("Monitor:Blacklists:Targets:0", "300.1.1.1", "Monitor:Blacklists:Targets:0: '300.1.1.1' is not a valid IPv4 address")]
    [InlineData("Monitor:Blacklists:Zones:0:Zone", "my.list.example", "Monitor:Blacklists:Zones:0:Zone: zone 'my.list.example' is not a default list")]
    [InlineData("Monitor:Blacklists:Cache:NegativeTtl", "-00:01:00", "Monitor:Blacklists:Cache:NegativeTtl:")]
    [InlineData("Monitor:Alerts:Route:Routes:0:Matchers:0", "severity", "Monitor:Alerts:Route:Routes:0:Matchers:0: 'severity' is not a label matcher")]
    [InlineData("Monitor:Alerts:EvaluationInterval", "00:00:00", "Monitor:Alerts:EvaluationInterval:")]
    public async Task Bad_value_stops_start_up_naming_its_key(string key, string value, string expected)
    {
        var messages = await StartUpFailureAsync([.. Domains("example.test"), (key, value)]);

        Assert.Contains(expected, messages);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_start_up_naming_the_key()
    {
        var messages = await StartUpFailureAsync([("Storage:Provider", "postgres"), ("Storage:ConnectionString", "")]);

        Assert.Contains("Storage:ConnectionString: is required when Storage:Provider is Postgres", messages);
    }

    [Fact]
    public async Task Invalid_ip_in_the_third_domain_is_named_by_its_full_key()
    {
        var messages = await StartUpFailureAsync([.. Domains("a.test", "b.test", "c.test"), ("Monitor:Domains:2:SendingIps:0", "192.0.2.1"), ("Monitor:Domains:2:SendingIps:1", "300.1.1.1")]);

        Assert.Contains("Monitor:Domains:2:SendingIps:1: '300.1.1.1' is not an IP address", messages);
    }

    [Fact]
    public async Task Duplicate_domain_stops_start_up_naming_both_keys()
    {
        var messages = await StartUpFailureAsync(Domains("example.test", "other.test", "EXAMPLE.test."));

        Assert.Contains("Monitor:Domains:2:Name: 'example.test' is already configured at Monitor:Domains:0", messages);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var messages = await StartUpFailureAsync([("Monitor:Domains:0:Name", "bad name"), ("Monitor:Domains:0:SendingIps:0", "nope"), ("Monitor:Audit:Schedule", "soon")]);

        Assert.Contains("Monitor:Domains:0:Name:", messages);
        Assert.Contains("Monitor:Domains:0:SendingIps:0:", messages);
        Assert.Contains("Monitor:Audit:Schedule:", messages);
    }

    [Theory]
    [InlineData("00:05:00")]
    [InlineData("0 0/15 * * * ?")]
    public async Task Schedule_accepts_an_interval_or_a_cron_expression(string schedule)
    {
        await using var app = StartService([.. Domains("example.test"), ("Monitor:Audit:Schedule", schedule)]);

        var response = await app.CreateClient().GetAsync("/api/domains");

        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Runs the real entry point (what <c>dotnet run</c> runs) with these settings as command-line arguments and returns
    /// the messages of what stopped it. Not WebApplicationFactory: when a host fails to start it can report an
    /// ObjectDisposedException from its own clean-up instead of the start-up error.
    /// </summary>
    private async Task<string> StartUpFailureAsync((string Key, string? Value)[] settings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            $"--Storage:ConnectionString=Data Source={Path.Combine(DataFolder, "monitor.db")}",
            $"--Dns:NameServers:0={Dns.Endpoint}",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var entryPoint = typeof(Program).Assembly.EntryPoint!;
        var run = Task.Run(() => entryPoint.Invoke(null, [args]));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == run, "The service started although its configuration is bad.");
        var error = await Record.ExceptionAsync(() => run);
        Assert.NotNull(error);
        return AllMessages(error);
    }

    private static string AllMessages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(AllMessages));
            }
        }

        return string.Join(Environment.NewLine, messages);
    }
}
