using System.Collections.Frozen;
using System.Text.Json;
using StackExchange.Redis;

namespace Deliverability.Server.LivePush;

/// <summary>
/// Relays the cross-node feeds through one Redis channel: each event published on this node goes out with this node's
/// id, and each event of another node is published on the local feed, where pages, read models and their caches hear
/// it as if it happened here. A node ignores its own messages (Redis echoes them to every subscriber).
/// </summary>
/// <remarks>
/// While Redis is unreachable, this node's events are not sent (nobody would get them later: pub/sub keeps nothing) and
/// the local feeds go on as on a single node; the read models still renew themselves on their own schedule.
/// </remarks>
internal sealed partial class LiveFeedRelay(
    LivePushConnection connection,
    IEnumerable<ICrossNodeFeed> feeds,
    LivePushNode node,
    ILogger<LiveFeedRelay> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly FrozenDictionary<string, ICrossNodeFeed> _feeds = feeds.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
    private readonly List<IDisposable> _forwarding = [];
    private int _sendFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var feed in _feeds.Values)
        {
            _forwarding.Add(feed.ForwardLocalEvents(SendAsync));
        }

        IConnectionMultiplexer redis;
        try
        {
            redis = await connection.ConnectAsync();
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException or System.Net.Sockets.SocketException)
        {
            // Whatever went wrong, the node serves on as a single node: a failing background service would stop the host.
            LogNoConnection(connection.Servers, ex.GetType().Name);
            return;
        }

        // Subscribed once it succeeds; StackExchange.Redis then subscribes again by itself after each reconnect.
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!redis.IsConnected)
            {
                // Not queued while Redis is down: a subscription that times out might stay half-made.
                await Task.Delay(RetryAfter, stoppingToken);
                continue;
            }

            try
            {
                var messages = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(LiveWire.Channel));
                messages.OnMessage(m => Receive(m.Message));
                node.Listening = true;
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                await Task.Delay(RetryAfter, stoppingToken);
            }
        }
    }

    private async Task SendAsync(string feed, JsonElement payload)
    {
        if (connection.Current is not { IsConnected: true } redis)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(LiveWire.Channel), LiveWire.Write(new LiveEnvelope(node.Id, feed, payload)));
            Interlocked.Exchange(ref _sendFailing, 0);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _sendFailing, 1) == 0)
            {
                LogNotSent(feed, ex.GetType().Name);
            }
        }
    }

    private void Receive(RedisValue message)
    {
        // Whatever arrives: a bad message is logged and dropped, the next one is read.
        string? feedName = null;
        try
        {
            var envelope = LiveWire.Read((byte[])message!);
            if (envelope.Node == node.Id)
            {
                return;
            }

            feedName = envelope.Feed;
            if (_feeds.TryGetValue(envelope.Feed, out var feed))
            {
                feed.DeliverFromAnotherNode(envelope.Event);
            }
            else
            {
                // A newer node may relay a feed this one does not know yet.
                LogUnknownFeed(envelope.Feed.Length <= 64 ? envelope.Feed : envelope.Feed[..64]);
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            LogUnreadable(feedName ?? "(none)", ex.GetType().Name);
        }
    }

    public override void Dispose()
    {
        _forwarding.ForEach(f => f.Dispose());
        _forwarding.Clear();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push between nodes: an event of {Feed} was not sent to the other nodes ({Error}); further failures are not logged until one succeeds")]
    private partial void LogNotSent(string feed, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live push between nodes: no connection to Redis at {Servers} could be made ({Error}); this node serves its own dashboards only until it restarts")]
    private partial void LogNoConnection(string servers, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push between nodes: a message on the channel was not read (feed {Feed}: {Reason})")]
    private partial void LogUnreadable(string feed, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live push between nodes: ignored an event of feed {Feed}, unknown to this node")]
    private partial void LogUnknownFeed(string feed);
}

/// <summary>This process on the channel: its id (random per start, so two nodes never share one), and whether it listens yet.</summary>
internal sealed class LivePushNode
{
    private volatile bool _listening;

    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Subscribed to the channel (once; StackExchange.Redis renews the subscription after each reconnect).</summary>
    public bool Listening
    {
        get => _listening;
        set => _listening = value;
    }
}
