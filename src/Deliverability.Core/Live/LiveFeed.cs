using System.Threading.Channels;

namespace Deliverability.Core.Live;

/// <summary>
/// An in-process publish/subscribe feed of <typeparamref name="T"/> (alert changes, new results) that dashboard
/// sessions and the SignalR hub subscribe to. Register one per event type as a singleton. When several nodes share a
/// database, a backplane relays the events of the other nodes into it (<see cref="PublishFromAnotherNode"/>).
/// </summary>
/// <remarks>
/// Each subscription has its own bounded queue drained by its own loop, so a slow or failing subscriber never delays
/// the publisher (an alert evaluation, an audit) or the other subscribers; when its queue is full the oldest event is
/// dropped, because a live view only needs to catch up with the latest state.
/// </remarks>
public sealed class LiveFeed<T>
{
    private const int QueueCapacity = 256;
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];
    private Observation[] _observers = [];

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    /// <summary>Queues <paramref name="item"/>, an event of this node, for every current subscriber and returns at once.</summary>
    public void Publish(T item) => Deliver(item, fromThisNode: true);

    /// <summary>
    /// Queues <paramref name="item"/>, relayed from another node, for the subscribers of <see cref="LiveOrigin.AnyNode"/>
    /// only: those of <see cref="LiveOrigin.ThisNode"/> (the backplane itself, the SignalR broadcasters, counters) have
    /// had it on the node where it happened.
    /// </summary>
    public void PublishFromAnotherNode(T item) => Deliver(item, fromThisNode: false);

    private void Deliver(T item, bool fromThisNode)
    {
        foreach (var observation in Volatile.Read(ref _observers))
        {
            if (!observation.Accepts(fromThisNode))
            {
                continue;
            }

            try
            {
                observation.Observer(item);
            }
#pragma warning disable CA1031 // An observer's failure must not reach the publisher (an audit) or the subscribers.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Accepts(fromThisNode))
            {
                subscription.Queue.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for each event published from now on, one at a time, until disposed: the events
    /// of every node by default, or only this node's (<see cref="LiveOrigin.ThisNode"/>).
    /// </summary>
    public IDisposable Subscribe(Func<T, Task> handler, LiveOrigin origin = LiveOrigin.AnyNode)
    {
        var subscription = new Subscription(this, handler, origin);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        subscription.Start();
        return subscription;
    }

    /// <summary>
    /// Calls <paramref name="observer"/> inside <see cref="Publish"/>, before any subscriber is handed the event, until
    /// disposed. For cheap bookkeeping that must see every event (a subscriber's queue may drop the oldest) and see it
    /// first, such as a shared read model marking what changed before the pages that read it hear of the change.
    /// It runs on the publisher's thread: it must be quick and must not block. <paramref name="origin"/> as for
    /// <see cref="Subscribe"/>.
    /// </summary>
    public IDisposable Observe(Action<T> observer, LiveOrigin origin = LiveOrigin.AnyNode)
    {
        var observation = new Observation(this, observer, origin);
        lock (_gate)
        {
            _observers = [.. _observers, observation];
        }

        return observation;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }

    private sealed class Observation(LiveFeed<T> feed, Action<T> observer, LiveOrigin origin) : IDisposable
    {
        public Action<T> Observer => observer;

        public bool Accepts(bool fromThisNode) => fromThisNode || origin == LiveOrigin.AnyNode;

        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._observers = feed._observers.Where(o => o != this).ToArray();
            }
        }
    }

    private sealed class Subscription(LiveFeed<T> feed, Func<T, Task> handler, LiveOrigin origin) : IDisposable
    {
        public bool Accepts(bool fromThisNode) => fromThisNode || origin == LiveOrigin.AnyNode;

        public Channel<T> Queue { get; } = Channel.CreateBounded<T>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        public void Start() => _ = Task.Run(DrainAsync);

        public void Dispose()
        {
            feed.Remove(this);
            Queue.Writer.TryComplete();
        }

        private async Task DrainAsync()
        {
            await foreach (var item in Queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await handler(item).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A subscriber's failure (a closed browser tab) must not end its feed or reach the publisher.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
