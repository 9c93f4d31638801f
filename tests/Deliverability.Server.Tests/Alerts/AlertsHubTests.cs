using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Core.Live;
using Deliverability.Server.Alerts;

namespace Deliverability.Server.Tests.Alerts;

/// <summary><c>/hubs/alerts</c> over a real socket: every change published on the live feed reaches every connected client.</summary>
public sealed class AlertsHubTests : ServiceFixture
{
    private static AlertChanged Change(string fingerprint, AlertState? from, AlertState to, string? acknowledgedBy = null) => new(
        fingerprint,
        "DkimKeyMissing",
        from,
        to,
        new Dictionary<string, string> { ["alertname"] = "DkimKeyMissing", ["domain"] = "example.test", ["severity"] = "critical" },
        new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero),
        acknowledgedBy);

    private static async Task<(HubConnection Connection, Channel<AlertChangedMessage> Received)> ConnectAsync(Uri baseAddress, string? apiKey = TestApiKeys.Viewer)
    {
        var received = Channel.CreateUnbounded<AlertChangedMessage>();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, AlertsHub.Path.TrimStart('/')), options =>
            {
                if (apiKey is not null)
                {
                    options.Headers.Add(TestApiKeys.Header, apiKey);
                }
            })
            .Build();
        connection.On<AlertChangedMessage>(AlertsHub.MethodName, message => received.Writer.TryWrite(message));
        await connection.StartAsync();
        return (connection, received);
    }

    private static async Task<AlertChangedMessage> NextAsync(Channel<AlertChangedMessage> received)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await received.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task Every_connected_client_receives_each_alert_change_in_order()
    {
        await using var app = StartService();
        app.UseKestrel(0);
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        var (first, firstReceived) = await ConnectAsync(address);
        var (second, secondReceived) = await ConnectAsync(address);
        await using var _ = first;
        await using var __ = second;

        var feed = app.Services.GetRequiredService<LiveFeed<AlertChanged>>();
        feed.Publish(Change("fp1", null, AlertState.Pending));
        feed.Publish(Change("fp1", AlertState.Pending, AlertState.Firing));
        feed.Publish(Change("fp1", AlertState.Firing, AlertState.Firing, acknowledgedBy: "alice"));

        foreach (var received in new[] { firstReceived, secondReceived })
        {
            var pending = await NextAsync(received);
            Assert.Equal(("fp1", "DkimKeyMissing", (string?)null, "pending"), (pending.Fingerprint, pending.AlertName, pending.From, pending.To));
            Assert.Equal("example.test", pending.Labels["domain"]);
            Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero), pending.At);
            var firing = await NextAsync(received);
            Assert.Equal(("pending", "firing"), (firing.From, firing.To));
            var acknowledged = await NextAsync(received);
            Assert.Equal("alice", acknowledged.AcknowledgedBy);
        }
    }

    [Fact]
    public async Task A_client_without_sign_in_or_api_key_cannot_connect()
    {
        await using var app = StartService();
        app.UseKestrel(0);
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(address, apiKey: null));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_does_not_stop_the_others()
    {
        await using var app = StartService();
        app.UseKestrel(0);
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        var (leaving, _) = await ConnectAsync(address);
        var (staying, received) = await ConnectAsync(address);
        await using var _staying = staying;
        await leaving.DisposeAsync();

        app.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("fp2", AlertState.Firing, AlertState.Resolved));

        var message = await NextAsync(received);
        Assert.Equal(("fp2", "resolved"), (message.Fingerprint, message.To));
    }
}
