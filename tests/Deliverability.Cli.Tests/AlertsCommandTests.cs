using System.Text.Json;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Host;

namespace Deliverability.Cli.Tests;

/// <summary><c>monitor alerts</c> against the real service on a real socket (127.0.0.1), its audit reading a real test DNS server.</summary>
public sealed class AlertsCommandTests : IAsyncLifetime
{
    private const string OperatorKey = "mk_cli-operator-0123456789abcdefghijklmnopqrstuvwxyz";
    private const string ViewerKey = "mk_cli-viewer-0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-cli-alerts-" + Guid.NewGuid().ToString("N"));
    private TestDnsServer _dns = null!;
    private MonitorApplication _service = null!;
    private string _server = "";

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        // The product's SPF check finds "+all": an error, so a CheckFailing alert for spf.
        _dns = TestDnsServer.Start(new TestZone().Txt("shop.test", "v=spf1 ip4:192.0.2.0/24 +all").Txt("_dmarc.shop.test", "v=DMARC1; p=reject"));
        // The service (SQLite in the folder, this DNS server) with the settings of this test over the host's.
        var settings = new Dictionary<string, string?>
        {
            ["Monitor:Domains:0:Name"] = "shop.test",
            ["Monitor:Audit:FirstRunDelay"] = "00:00:00",
            ["Monitor:Audit:Schedule"] = "01:00:00",
            ["Monitor:Alerts:EvaluationInterval"] = "00:00:01",
            // Every API call needs a key: one Operator and one Viewer key, provisioned at start.
            ["Auth:ApiKeys:0:Name"] = "cli-operator",
            ["Auth:ApiKeys:0:Role"] = "Operator",
            ["Auth:ApiKeys:0:Key"] = OperatorKey,
            ["Auth:ApiKeys:1:Name"] = "cli-viewer",
            ["Auth:ApiKeys:1:Role"] = "Viewer",
            ["Auth:ApiKeys:1:Key"] = ViewerKey,
            ["Auth:FirstAdmin:Password"] = "Cli-test-admin-password-1",
        };
        _service = new MonitorApplication(_folder, _dns.Endpoint, settings).StartOnKestrel();
        _server = _service.BaseUrl;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _dns.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task List_ack_silence_and_unsilence_work_against_the_running_service()
    {
        var (exit, listed, _) = await PollAsync(() => RunAsOperatorAsync("alerts", "list", "--server", _server, "--filter", "check=spf"), r => r.Out.Contains("CheckFailing", StringComparison.Ordinal));
        Assert.Equal(AlertsCommand.Firing, exit);
        Assert.Contains("firing", listed, StringComparison.Ordinal);
        Assert.Contains("domain=shop.test", listed, StringComparison.Ordinal);
        var fingerprint = listed.Split(' ', 2)[0];

        // The service records the API key as who acted; the name given with --by is a note of the history.
        var ack = await RunAsOperatorAsync("alerts", "ack", fingerprint, "--by", "alice", "--server", _server);
        Assert.Equal((AlertsCommand.Success, $"{fingerprint} CheckFailing acknowledged by api-key:cli-operator"), (ack.Exit, ack.Out[..ack.Out.IndexOf(" at ", StringComparison.Ordinal)]));

        var silence = await RunAsOperatorAsync("alerts", "silence", "domain=shop.test", "check=~spf|dkim", "--duration", "90m", "--author", "bob", "--comment", "rotating keys", "--server", _server);
        Assert.Equal(AlertsCommand.Success, silence.Exit);
        Assert.Matches("^silence [0-9a-f]{32} active until .*: domain=\"shop.test\" check=~\"spf\\|dkim\"", silence.Out);
        var id = silence.Out.Split(' ')[1];

        var silences = await RunAsOperatorAsync("alerts", "silences", "--server", _server, "--json");
        using (var document = JsonDocument.Parse(silences.Out))
        {
            var only = Assert.Single(document.RootElement.EnumerateArray());
            Assert.Equal((id, "api-key:cli-operator", "rotating keys (on behalf of bob)"), (only.GetProperty("id").GetString(), only.GetProperty("createdBy").GetString(), only.GetProperty("comment").GetString()));
        }

        var unsilence = await RunAsOperatorAsync("alerts", "unsilence", id, "--server", _server);
        Assert.Equal(AlertsCommand.Success, unsilence.Exit);
        Assert.StartsWith($"silence {id} expired at", unsilence.Out, StringComparison.Ordinal);
        Assert.Equal("no silences", (await RunAsOperatorAsync("alerts", "silences", "--server", _server)).Out.Trim());

        var json = await RunAsOperatorAsync("alerts", "list", "--json", "--server", _server, "--filter", "check=spf");
        using var alerts = JsonDocument.Parse(json.Out);
        Assert.Equal("api-key:cli-operator", Assert.Single(alerts.RootElement.EnumerateArray()).GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task A_refused_request_and_an_unreachable_service_exit_2_with_the_reason()
    {
        var unknown = await RunAsOperatorAsync("alerts", "ack", "0123456789abcdef", "--by", "alice", "--server", _server);
        var badMatcher = await RunAsOperatorAsync("alerts", "silence", "domain", "--server", _server);
        var down = await RunAsync("alerts", "list", "--server", "http://127.0.0.1:1");
        var badDuration = await RunAsOperatorAsync("alerts", "silence", "domain=a.test", "--duration", "soon", "--server", _server);

        Assert.Equal((AlertsCommand.Failed, "error: 404 Unknown alert: No alert has the fingerprint '0123456789abcdef'."), (unknown.Exit, unknown.Err.Trim()));
        Assert.Equal(AlertsCommand.Failed, badMatcher.Exit);
        Assert.Contains("'domain' is not a label matcher", badMatcher.Err, StringComparison.Ordinal);
        Assert.Equal(AlertsCommand.Failed, down.Exit);
        Assert.StartsWith("error: cannot reach the monitor service at http://127.0.0.1:1/", down.Err, StringComparison.Ordinal);
        Assert.Equal(MonitorCli.UsageError, badDuration.Exit);
        Assert.Contains("--duration: 'soon' is not a duration", badDuration.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_api_key_the_refusal_says_how_to_give_one_and_a_viewer_key_cannot_acknowledge()
    {
        var anonymous = await RunAsync("alerts", "list", "--server", _server);
        var viewerList = await RunAsync("alerts", "list", "--server", _server, "--api-key", ViewerKey);
        var viewerAck = await RunAsync("alerts", "ack", "0123456789abcdef", "--by", "alice", "--server", _server, "--api-key", ViewerKey);

        Assert.Equal(AlertsCommand.Failed, anonymous.Exit);
        Assert.StartsWith("error: 401", anonymous.Err, StringComparison.Ordinal);
        Assert.Contains("MONITOR_API_KEY", anonymous.Err, StringComparison.Ordinal);
        Assert.NotEqual(AlertsCommand.Failed, viewerList.Exit);
        Assert.Equal(AlertsCommand.Failed, viewerAck.Exit);
        Assert.StartsWith("error: 403", viewerAck.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_starting_with_at_are_values_sent_to_the_service_as_they_are()
    {
        var silence = await RunAsOperatorAsync("alerts", "silence", "domain=@shop.test", "--comment", "@oncall please look", "--author", "@alice", "--json", "--server", _server);
        Assert.Equal((AlertsCommand.Success, ""), (silence.Exit, silence.Err));
        using var created = JsonDocument.Parse(silence.Out);
        Assert.Equal("@oncall please look (on behalf of @alice)", created.RootElement.GetProperty("comment").GetString()); // the author is the API key; --author is kept as a note
        Assert.Equal("domain=\"@shop.test\"", Assert.Single(created.RootElement.GetProperty("matchers").EnumerateArray()).GetString()); // as the service writes matchers

        var listed = await RunAsOperatorAsync("alerts", "list", "--filter", "domain=@shop.test", "--server", _server);
        Assert.Equal((AlertsCommand.Success, ""), (listed.Exit, listed.Err));

        var ack = await RunAsOperatorAsync("alerts", "ack", "@0123456789abcdef", "--by", "@alice", "--server", _server);
        Assert.Equal("error: 404 Unknown alert: No alert has the fingerprint '@0123456789abcdef'.", ack.Err.Trim());

        var unsilence = await RunAsOperatorAsync("alerts", "unsilence", "@no-such-silence", "--server", _server);
        Assert.Equal("error: 404 Unknown silence: No silence has the id '@no-such-silence'.", unsilence.Err.Trim());

        var silences = await RunAsync("alerts", "silences", "--server", _server, "--api-key", "@not-a-key");
        Assert.StartsWith("error: 401", silences.Err, StringComparison.Ordinal);

        var test = await RunAsOperatorAsync("alerts", "test", "@ops", "--server", _server);
        Assert.Contains("'@ops' is not a configured receiver", test.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999d")]
    [InlineData("99999999999999999999999999999999999999h")]
    [InlineData("0m")]
    public void A_duration_beyond_what_a_time_span_holds_is_not_a_duration(string text) =>
        Assert.False(AlertsCommand.TryParseDuration(text, out _));

    [Theory]
    [InlineData("90m", 90 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1d", 86400)]
    [InlineData("01:30:00", 90 * 60)]
    public void Durations_are_written_the_short_way_or_as_a_time_span(string text, int seconds)
    {
        Assert.True(AlertsCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    private static Task<(int Exit, string Out, string Err)> RunAsOperatorAsync(params string[] args) => RunAsync([.. args, "--api-key", OperatorKey]);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    // Generous: the service's first audit and evaluation on 2 shared cores; nothing here measures time.
    private static async Task<(int Exit, string Out, string Err)> PollAsync(Func<Task<(int Exit, string Out, string Err)>> run, Func<(int Exit, string Out, string Err), bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var result = await run();
            if (done(result))
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting; last output: {result.Out}{result.Err}");
            await Task.Delay(300);
        }
    }
}
