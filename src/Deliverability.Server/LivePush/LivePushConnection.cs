using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Deliverability.Server.LivePush;

/// <summary>
/// The node's one connection to the Redis of <c>Monitor:LiveFeed:Redis</c>, shared by the live-feed relay and the SignalR
/// hubs. Made in the background: a Redis that is down at start delays nothing, and StackExchange.Redis keeps retrying.
/// Logs when the connection is lost and when it is back, naming the server but never the connection string (it may hold
/// a password).
/// </summary>
internal sealed partial class LivePushConnection(IOptions<LivePushOptions> options, ILogger<LivePushConnection> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;
    private int _down;

    /// <summary>The connection once made (connected or retrying), else null.</summary>
    public IConnectionMultiplexer? Current => _connecting is { IsCompletedSuccessfully: true } made ? made.Result : null;

    /// <summary>Whether the node can reach Redis now.</summary>
    public bool IsConnected => Current?.IsConnected == true;

    /// <summary>The server(s), host:port only.</summary>
    public string Servers => string.Join(", ", ConfigurationOptions.Parse(options.Value.Redis!).EndPoints.Select(EndPointText));

    /// <summary>The connection, made on the first call; it completes once the first attempt ended, reached or not.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync()
    {
        lock (_gate)
        {
            return _connecting ??= Task.Run(MakeAsync);
        }
    }

    private async Task<IConnectionMultiplexer> MakeAsync()
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        // Never give up: a node whose Redis is down keeps serving its own dashboards and reconnects when it is back.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "deliverability-monitor";
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        connection.ConnectionFailed += (_, e) => Lost(e.EndPoint, e.FailureType);
        connection.ConnectionRestored += (_, e) => Restored(e.EndPoint);
        if (!connection.IsConnected)
        {
            Lost(null, ConnectionFailureType.UnableToConnect);
        }
        else
        {
            LogConnected(Servers);
        }

        return connection;
    }

    private void Lost(System.Net.EndPoint? endPoint, ConnectionFailureType failure)
    {
        // Once per outage: StackExchange.Redis reports every failed retry.
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogLost(endPoint is null ? Servers : EndPointText(endPoint), failure);
        }
    }

    private void Restored(System.Net.EndPoint? endPoint)
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogRestored(endPoint is null ? Servers : EndPointText(endPoint));
        }
    }

    private static string EndPointText(System.Net.EndPoint endPoint) => EndPointCollection.ToString(endPoint);

    public async ValueTask DisposeAsync()
    {
        if (Current is { } connection)
        {
            await connection.CloseAsync(allowCommandsToComplete: false);
            connection.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live push between nodes: connected to Redis at {Servers}")]
    private partial void LogConnected(string servers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push between nodes: Redis at {Server} is unreachable ({Failure}). This node keeps serving and pushing its own events to its own dashboards; events of other nodes reach them again when Redis is back (reconnecting by itself)")]
    private partial void LogLost(string server, ConnectionFailureType failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live push between nodes: Redis at {Server} is reachable again")]
    private partial void LogRestored(string server);
}
