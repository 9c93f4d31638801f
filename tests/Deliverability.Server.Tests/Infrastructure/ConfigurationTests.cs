using Deliverability.Testing.Network;

namespace Deliverability.Server.Tests.Infrastructure;

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

    [Fact]
    public async Task A_value_that_does_not_convert_is_reported_with_every_other_problem_each_once()
    {
        var messages = await StartUpFailureAsync(
        [
            .. Domains("example.test"),
            ("Monitor:Placement:Timeout", "ten minutes"),
            ("Monitor:Placement:Seeds:0:Provider", "Gmail"),
            ("Monitor:Placement:Seeds:0:Address", "not-an-address"),
            ("Monitor:Placement:Seeds:0:Imap:Host", "imap.example.test"),
            ("Monitor:Placement:Seeds:0:Imap:User", "seed"),
            ("Monitor:Placement:Seeds:0:Imap:Password", "secret"),
            ("Monitor:Placement:SendPaths:0:Name", "mta"),
            ("Monitor:Placement:SendPaths:0:Host", "smtp.example.test"),
        ]);

        string[] expected =
        [
            "Monitor:Placement:Timeout: 'ten minutes' is not a duration (use hh:mm:ss, e.g. 00:10:00)",
            "Monitor:Placement:Seeds:0:Address: 'not-an-address'",
            "Monitor:Placement:Message:From:",
        ];
        Assert.All(expected, e => Assert.Equal(1, Occurrences(messages, e)));
    }

    [Theory]
    [InlineData("Monitor:Audit:FirstRunDelay", "soon", "Monitor:Audit:FirstRunDelay: 'soon' is not a duration")]
    [InlineData("Monitor:Audit:MaxConcurrency", "lots", "Monitor:Audit:MaxConcurrency: 'lots' is not a whole number")]
    [InlineData("Dns:TimeoutSeconds", "three", "Dns:TimeoutSeconds: 'three' is not a number")]
    [InlineData("Dns:UseCache", "sometimes", "Dns:UseCache: 'sometimes' is not true or false")]
    [InlineData("Storage:Retention:HistoryDays", "ninety", "Storage:Retention:HistoryDays: 'ninety' is not a whole number")]
    [InlineData("Monitor:Blacklists:Cache:MaxTtl", "an hour", "Monitor:Blacklists:Cache:MaxTtl: 'an hour' is not a duration")]
    [InlineData("Monitor:Blacklists:Zones:0:DailyCap", "many", "Monitor:Blacklists:Zones:0:DailyCap: 'many' is not a whole number")]
    [InlineData("Monitor:Alerts:EvaluationInterval", "often", "Monitor:Alerts:EvaluationInterval: 'often' is not a duration")]
    [InlineData("Monitor:Alerts:Delivery:AttemptsKept", "all", "Monitor:Alerts:Delivery:AttemptsKept: 'all' is not a whole number")]
    [InlineData("Monitor:Placement:PollInterval", "often", "Monitor:Placement:PollInterval: 'often' is not a duration")]
    [InlineData("Auth:LockoutAttempts", "five", "Auth:LockoutAttempts: 'five' is not a whole number")]
    public async Task A_value_that_does_not_convert_in_any_section_is_named_beside_the_other_problems(string key, string value, string expected)
    {
        var messages = await StartUpFailureAsync([("Monitor:Domains:0:Name", "bad name"), (key, value)]);

        Assert.Equal(1, Occurrences(messages, expected));
        Assert.Equal(1, Occurrences(messages, "Monitor:Domains:0:Name: 'bad name' is not a valid domain name"));
    }

    [Fact]
    public async Task Sending_ip_must_be_a_dotted_quad_or_ipv6()
    {
        var messages = await StartUpFailureAsync([.. Domains("example.test"), ("Monitor:Domains:0:SendingIps:0", "12345"), ("Monitor:Domains:0:SendingIps:1", "010.0.0.1")]);

        Assert.Contains("Monitor:Domains:0:SendingIps:0: '12345' is not an IP address", messages);
        Assert.Contains("Monitor:Domains:0:SendingIps:1: '010.0.0.1' is not an IP address", messages);
    }

    [Fact]
    public async Task Delist_url_must_be_a_web_address()
    {
        var messages = await StartUpFailureAsync([.. Domains("example.test"), ("Monitor:Blacklists:Zones:0:Zone", "bl.example.test=127.0.0.2"), ("Monitor:Blacklists:Zones:0:DelistUrl", "javascript:alert(1)")]);

        Assert.Contains("Monitor:Blacklists:Zones:0:DelistUrl: 'javascript:alert(1)' is not an absolute http:// or https:// URL", messages);
    }

    [Fact]
    public async Task Unreachable_postgres_names_the_key_and_the_server_but_not_the_password()
    {
        var port = FreePort.Tcp(); // nothing listens: refused at once
        var messages = await StartUpFailureAsync(
        [
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", $"Host=127.0.0.1;Port={port};Database=monitor;Username=monitor;Password=pw-never-printed;Timeout=5"),
        ]);

        Assert.Equal(1, Occurrences(messages, $"Storage:ConnectionString: cannot use the PostgreSQL database 'monitor' on 127.0.0.1:{port}"));
        Assert.DoesNotContain("transient failure", messages);
    }

    [Fact]
    public async Task Sqlite_file_that_cannot_be_created_names_the_key_and_the_file()
    {
        var notAFolder = Path.Combine(DataFolder, "plain-file");
        await File.WriteAllTextAsync(notAFolder, "a file, not a folder");
        var database = Path.Combine(notAFolder, "monitor.db");

        var messages = await StartUpFailureAsync([("Storage:ConnectionString", $"Data Source={database}")]);

        Assert.Equal(1, Occurrences(messages, $"Storage:ConnectionString: cannot open the SQLite database file '{database}'"));
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
