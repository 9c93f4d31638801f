using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Server.LoadTests;
using Deliverability.Testing.Http;

namespace Deliverability.Server.Tests.LoadTests;

/// <summary><c>/hubs/loadtests</c> over a real socket, during a real run of a stored scenario against a receiver on 127.0.0.1.</summary>
public sealed class LoadTestsHubTests : ServiceFixture
{
    [Fact]
    public async Task A_connected_client_hears_the_start_the_progress_and_the_end_of_a_run()
    {
        await using var receiver = await TestHttpReceiver.StartAsync();
        var folder = Path.Combine(DataFolder, "scenarios");
        ScenarioFiles.Write(folder, "hub.json", ScenarioFiles.Http("hub-run", receiver.Url("send"), rate: 10, seconds: 3));
        await using var app = StartService(("Monitor:LoadTests:ScenarioFolder", folder));
        var address = StartOnSocket(app);
        var changes = Channel.CreateUnbounded<LoadTestChangedMessage>();
        var progress = Channel.CreateUnbounded<LoadTestProgress>();
        await using var connection = Connect(address, TestApiKeys.Viewer);
        connection.On<LoadTestChangedMessage>(LoadTestsHub.ChangedMethod, m => changes.Writer.TryWrite(m));
        connection.On<LoadTestProgress>(LoadTestsHub.ProgressMethod, p => progress.Writer.TryWrite(p));
        await connection.StartAsync();

        // On a real socket the factory's own clients do not reach the service: a plain client with the Operator's key does.
        using var operatorClient = new HttpClient { BaseAddress = address };
        operatorClient.DefaultRequestHeaders.Add(TestApiKeys.Header, TestApiKeys.Operator);
        var response = await operatorClient.PostAsJsonAsync("api/loadtests", new { scenario = "hub-run" });
        var id = (await response.Content.ReadFromJsonAsync<LoadTestStartedDto>())!.Id;

        Assert.Equal(new LoadTestChangedMessage(id, "hub-run", "running"), await NextAsync(changes));
        var step = await NextAsync(progress);
        Assert.Equal((id, "hub-run", 1), (step.RunId, step.Scenario, step.Step));
        Assert.Equal(new LoadTestChangedMessage(id, "hub-run", "completed"), await NextAsync(changes));
    }

    [Fact]
    public async Task A_client_without_sign_in_or_api_key_cannot_connect()
    {
        await using var app = StartService();
        var address = StartOnSocket(app);
        await using var connection = Connect(address, apiKey: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static Uri StartOnSocket(MonitorApplication app)
    {
        app.UseKestrel(0);
        app.StartServer();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    private static HubConnection Connect(Uri address, string? apiKey) => new HubConnectionBuilder()
        .WithUrl(new Uri(address, LoadTestsHub.Path.TrimStart('/')), options =>
        {
            if (apiKey is not null)
            {
                options.Headers.Add(TestApiKeys.Header, apiKey);
            }
        })
        .Build();

    private static async Task<T> NextAsync<T>(Channel<T> received)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await received.Reader.ReadAsync(timeout.Token);
    }
}
