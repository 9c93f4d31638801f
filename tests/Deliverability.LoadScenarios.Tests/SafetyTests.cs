using System.Net;
using System.Net.Sockets;
using Deliverability.Load;

namespace Deliverability.LoadScenarios.Tests;

/// <summary>A refused target or recipient is refused before any connection: a listener that records accepts stays untouched.</summary>
public sealed class SafetyTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _accepted;

    public SafetyTests()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose() => _listener.Dispose();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _accepted);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // stopped
        }
    }

    private LoadTestDefinition Smtp(string recipient, string host = "127.0.0.1") => new()
    {
        Name = "safety",
        Kind = LoadTestKind.Smtp,
        Smtp = new SmtpTarget { Host = host, Port = Port, From = "a@example.com", Recipients = ["ok@example.com", recipient] },
        Load = new LoadShape { Rate = 10, Duration = TimeSpan.FromSeconds(1) },
    };

    [Theory]
    [InlineData("someone@gmail.com")]
    [InlineData("ceo@example.co")]
    public async Task A_recipient_outside_the_sink_domains_is_refused_before_any_connection(string recipient)
    {
        var error = await Assert.ThrowsAsync<LoadTestRefusedException>(() => LoadTestExecution.RunAsync(Smtp(recipient), LoadTestSafety.Default, [], CancellationToken.None));

        Assert.Contains(recipient.Split('@')[1], error.Message);
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref _accepted));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("mx.example.net")]
    public async Task A_host_that_is_not_loopback_is_refused(string host)
    {
        var error = await Assert.ThrowsAsync<LoadTestRefusedException>(() => LoadTestExecution.RunAsync(Smtp("x@example.com", host), LoadTestSafety.Default, [], CancellationToken.None));
        Assert.Contains(host, error.Message);
    }

    [Fact]
    public async Task An_address_written_into_an_http_body_is_a_recipient_too()
    {
        var definition = new LoadTestDefinition
        {
            Name = "body",
            Kind = LoadTestKind.Http,
            Http = new HttpTarget { Url = new Uri($"http://127.0.0.1:{Port}/send"), Body = """{"to":"real.person@gmail.com"}""" },
            Load = new LoadShape { Rate = 10, Duration = TimeSpan.FromSeconds(1) },
        };

        var error = await Assert.ThrowsAsync<LoadTestRefusedException>(() => LoadTestExecution.RunAsync(definition, LoadTestSafety.Default, [], CancellationToken.None));
        Assert.Contains("gmail.com", error.Message);
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref _accepted));
    }

    [Fact]
    public void An_allow_list_admits_the_domain_it_names()
    {
        LoadTestSafety.WithAllowLists([], ["customer-sink.net"]).Check(Smtp("bounce@customer-sink.net"));
        Assert.Throws<LoadTestRefusedException>(() => LoadTestSafety.Default.Check(Smtp("bounce@customer-sink.net")));
    }
}
