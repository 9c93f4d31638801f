using System.Text.Json;
using Deliverability.Cli;
using Deliverability.Testing.Http;

namespace Deliverability.Cli.Tests;

/// <summary>
/// <c>monitor alerts test &lt;receiver&gt;</c> asks the service over HTTP. A real HTTP server on 127.0.0.1 stands in for the
/// service and answers as its API does (the API itself is tested in Deliverability.Server.Tests).
/// </summary>
public sealed class AlertsTestCommandTests : IAsyncLifetime
{
    private TestHttpReceiver _service = null!;

    public async Task InitializeAsync() => _service = await TestHttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(["alerts", "test", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Delivered_test_prints_the_receiver_and_exits_0()
    {
        _service.Reply(new ReceiverReply(200, Body: """{"receiver":"ops-webhook","type":"webhook","delivered":true,"attempts":1,"error":null}"""));

        var (exit, output, error) = await RunAsync("ops-webhook", "--server", _service.BaseAddress.ToString());

        Assert.Equal(AlertsTestCommand.Delivered, exit);
        Assert.Equal("", error);
        Assert.Equal("Test notification delivered to 'ops-webhook' (webhook) after 1 attempt.", output.Trim());
        var request = Assert.Single(_service.Requests);
        Assert.Equal(("POST", "/api/alerts/receivers/ops-webhook/test"), (request.Method, request.Path));
    }

    [Fact]
    public async Task Undelivered_test_prints_why_and_exits_1()
    {
        _service.Reply(new ReceiverReply(502, Body: """{"title":"Test notification not delivered","detail":"Receiver 'slack' did not accept the test notification after 5 attempt(s): HTTP 500 (5 attempts made)","receiver":"slack","attempts":5,"error":"HTTP 500 (5 attempts made)"}"""));

        var (exit, output, error) = await RunAsync("slack", "--server", _service.BaseAddress.ToString());

        Assert.Equal(AlertsTestCommand.NotDelivered, exit);
        Assert.Equal("", output);
        Assert.Contains("Test notification NOT delivered: Receiver 'slack' did not accept the test notification after 5 attempt(s): HTTP 500", error);
    }

    [Fact]
    public async Task Json_output_is_the_outcome_object()
    {
        _service.Reply(new ReceiverReply(502, Body: """{"detail":"x","receiver":"slack","attempts":2,"error":"HTTP 500"}"""));

        var (exit, output, _) = await RunAsync("slack", "--server", _service.BaseAddress.ToString(), "--json");

        Assert.Equal(AlertsTestCommand.NotDelivered, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(("slack", false, 2, "HTTP 500"), (json.RootElement.GetProperty("receiver").GetString(), json.RootElement.GetProperty("delivered").GetBoolean(), json.RootElement.GetProperty("attempts").GetInt32(), json.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Unknown_receiver_prints_the_service_explanation_and_exits_2()
    {
        _service.Reply(new ReceiverReply(404, Body: """{"title":"Unknown receiver","detail":"'nobody' is not a configured receiver (Monitor:Alerts:Receivers: ops-webhook)."}"""));

        var (exit, _, error) = await RunAsync("nobody", "--server", _service.BaseAddress.ToString());

        Assert.Equal(AlertsTestCommand.Failed, exit);
        Assert.Contains("error: 'nobody' is not a configured receiver (Monitor:Alerts:Receivers: ops-webhook).", error);
    }

    [Fact]
    public async Task Service_that_is_not_running_exits_2_naming_the_address()
    {
        var down = TestHttpReceiver.ClosedPortUrl("");

        var (exit, _, error) = await RunAsync("ops-webhook", "--server", down);

        Assert.Equal(AlertsTestCommand.Failed, exit);
        Assert.Contains($"error: cannot reach the monitor service at {down}", error);
        Assert.Contains("is it running? (--server)", error);
    }

    [Fact]
    public async Task Malformed_server_address_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("ops-webhook", "--server", "localhost:5080");

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains("--server: 'localhost:5080' is not an http:// or https:// address", error);
    }

    [Fact]
    public async Task Missing_receiver_name_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync();

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.StartsWith("error:", error);
    }
}
