using Deliverability.Load;

namespace Deliverability.LoadScenarios.Tests;

public sealed class ScenarioFileTests
{
    private const string Smtp = """
        {
          "name": "smtp-test", "kind": "smtp",
          "smtp": { "host": "127.0.0.1", "port": 2525, "from": "a@example.com", "recipients": ["b@example.com"] },
          "load": { "rate": 5, "duration": "10s" }
        }
        """;

    private static string Error(string json, string? folder = null) =>
        Assert.Throws<LoadConfigurationException>(() => LoadTestDefinitions.Parse(json, folder)).Message;

    public static TheoryData<string> ExampleFiles => [.. Directory.GetFiles(ScenarioFiles.Folder, "*.json").Select(path => Path.GetFileName(path))];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_file_loads_targets_loopback_and_sends_to_sink_domains(string file)
    {
        var definition = LoadTestDefinitions.Load(Path.Combine(ScenarioFiles.Folder, file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), definition.Name);
        LoadTestSafety.Default.Check(definition);
        Assert.True(definition.MaxDuration > TimeSpan.Zero);
    }

    [Fact]
    public void Defaults_fill_what_the_file_leaves_out()
    {
        var definition = LoadTestDefinitions.Parse(Smtp);

        Assert.Equal(LoadTestKind.Smtp, definition.Kind);
        Assert.Equal(1024, definition.Smtp!.MessageSizeBytes);
        Assert.Equal(100, definition.Smtp.MessagesPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(40), definition.MaxDuration); // the load and a 30 s margin
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(", \"confirmBreaks\": false", false)]
    public void A_capacity_search_confirms_a_broken_rate_unless_the_file_says_not_to(string field, bool confirms)
    {
        var definition = LoadTestDefinitions.Parse(Smtp.Replace("\"load\"", $"\"capacity\": {{ \"maxRate\": 50{field} }}, \"load\""));

        Assert.Equal((50.0, confirms), (definition.Capacity!.MaxRate, definition.Capacity.ConfirmBreaks));
    }

    [Fact]
    public void A_confirm_breaks_that_is_not_a_boolean_is_named()
    {
        var message = Error(Smtp.Replace("\"load\"", "\"capacity\": { \"maxRate\": 50, \"confirmBreaks\": \"yes\" }, \"load\""));

        Assert.Contains("confirmBreaks", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("00:01:00", 60)]
    [InlineData("1.5s", 1.5)]
    [InlineData("250ms", 0.25)]
    public void Durations_read_in_every_form(string text, double seconds)
    {
        var definition = LoadTestDefinitions.Parse(Smtp.Replace("\"10s\"", $"\"{text}\""));
        Assert.Equal(TimeSpan.FromSeconds(seconds), definition.Load.Duration);
    }

    [Theory]
    [InlineData("1KiB", 1024)]
    [InlineData("10KB", 10_000)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("2048", 2048)]
    public void Sizes_read_in_every_unit(string text, long bytes)
    {
        var definition = LoadTestDefinitions.Parse(Smtp.Replace("\"port\": 2525", $"\"port\": 2525, \"messageSize\": \"{text}\""));
        Assert.Equal(bytes, definition.Smtp!.MessageSizeBytes);
    }

    [Theory]
    [InlineData("\"port\": 2525", "\"port\": 0", "smtp.port: must be 1 to 65535 (was 0)")]
    [InlineData("\"port\": 2525", "\"port\": 2525, \"prot\": 1", "smtp.prot: unknown field")]
    [InlineData("\"rate\": 5", "\"rate\": 5, \"burst\": 1", "load.burst: unknown field")]
    [InlineData("\"10s\"", "\"ten seconds\"", "load.duration: 'ten seconds' is not a duration")]
    [InlineData("\"rate\": 5", "\"rate\": -1", "load.rate: must be more than 0")]
    [InlineData("\"smtp-test\"", "\"Smtp Test\"", "name: 'Smtp Test' must be")]
    [InlineData("\"kind\": \"smtp\"", "\"kind\": \"ftp\"", "kind: 'ftp' must be")]
    [InlineData("[\"b@example.com\"]", "[\"not-an-address\"]", "smtp.recipients[0]: 'not-an-address' is not an email address")]
    [InlineData("\"port\": 2525", "\"port\": 2525, \"messageSize\": \"1GiB\"", "smtp.messageSize:")]
    [InlineData("\"port\": 2525", "\"port\": 2525, \"auth\": { \"user\": \"u\", \"password\": \"hunter2\" }", "smtp.auth.password: a password never goes in a scenario file")]
    [InlineData("\"load\"", "\"thresholds\": [\"p99 <\"], \"load\"", "thresholds[0]:")]
    public void Each_problem_is_named_by_its_field(string from, string to, string expected)
    {
        var json = Smtp.Replace(from, to);
        Assert.NotEqual(Smtp, json);
        var message = Error(json);

        Assert.Contains(expected, message);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public void Every_problem_of_a_file_is_named_at_once()
    {
        var message = Error(Smtp.Replace("\"port\": 2525", "\"port\": 0, \"connections\": 0").Replace("\"rate\": 5", "\"rate\": 0"));

        Assert.Contains("smtp.port", message);
        Assert.Contains("smtp.connections", message);
        Assert.Contains("load.rate", message);
    }

    [Fact]
    public void Not_json_and_too_large_are_one_line_errors()
    {
        Assert.Contains("not JSON", Error("{ \"name\": "));
        Assert.Contains("larger than 1 MiB", Error(new string(' ', LoadTestDefinitions.MaxFileBytes + 1)));
    }

    [Fact]
    public void A_missing_profile_file_is_named()
    {
        var json = Smtp.Replace("\"rate\": 5, \"duration\": \"10s\"", "\"profile\": { \"file\": \"nowhere.csv\", \"peakRate\": 10, \"compressTo\": \"1m\" }");
        Assert.Contains("load.profile.file: ", Error(json, Path.GetTempPath()));
    }

    [Fact]
    public void Http_body_fields_and_kind_are_checked()
    {
        const string Http = """
            { "name": "h", "kind": "http", "http": { "url": "http://127.0.0.1:1/x", "body": "{{nope}}" }, "load": { "rate": 1, "duration": "1s" } }
            """;
        Assert.Contains("http.body: unknown field '{{nope}}'", Error(Http));
        Assert.Contains("smtp: is required when kind is \"smtp\"", Error(Http.Replace("\"kind\": \"http\"", "\"kind\": \"smtp\"")));
        Assert.Contains("http.url:", Error(Http.Replace("http://127.0.0.1:1/x", "ftp://127.0.0.1/x")));
    }
}
