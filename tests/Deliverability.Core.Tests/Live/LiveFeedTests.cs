using System.Threading.Channels;
using Deliverability.Core.Live;

namespace Deliverability.Core.Tests.Live;

public sealed class LiveFeedTests
{
    [Fact]
    public async Task A_subscriber_receives_every_event_in_order()
    {
        var feed = new LiveFeed<int>();
        var received = Channel.CreateUnbounded<int>();
        using var subscription = feed.Subscribe(i => received.Writer.WriteAsync(i).AsTask());

        for (var i = 1; i <= 5; i++)
        {
            feed.Publish(i);
        }

        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, await ReadAsync(received.Reader, 5));
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_its_feed_or_the_others()
    {
        var feed = new LiveFeed<int>();
        var healthy = Channel.CreateUnbounded<int>();
        var failing = Channel.CreateUnbounded<int>();
        using var first = feed.Subscribe(async i =>
        {
            await failing.Writer.WriteAsync(i);
            throw new InvalidOperationException("a closed browser tab");
        });
        using var second = feed.Subscribe(i => healthy.Writer.WriteAsync(i).AsTask());

        feed.Publish(1);
        feed.Publish(2);

        Assert.Equal(new[] { 1, 2 }, await ReadAsync(healthy.Reader, 2));
        Assert.Equal(new[] { 1, 2 }, await ReadAsync(failing.Reader, 2));
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var feed = new LiveFeed<int>();
        var kept = Channel.CreateUnbounded<int>();
        var dropped = Channel.CreateUnbounded<int>();
        using var keptSubscription = feed.Subscribe(i => kept.Writer.WriteAsync(i).AsTask());
        var droppedSubscription = feed.Subscribe(i => dropped.Writer.WriteAsync(i).AsTask());

        droppedSubscription.Dispose();
        feed.Publish(7);

        Assert.Equal(new[] { 7 }, await ReadAsync(kept.Reader, 1));
        Assert.Equal(1, feed.SubscriberCount);
        Assert.False(dropped.Reader.TryRead(out _));
    }

    [Fact]
    public async Task An_observer_sees_each_event_before_any_subscriber_is_handed_it()
    {
        var feed = new LiveFeed<int>();
        var observed = new List<int>();
        using var observation = feed.Observe(observed.Add);
        var seenBySubscriber = Channel.CreateUnbounded<(int Event, int ObservedThen)>();
        using var subscription = feed.Subscribe(i =>
        {
            lock (observed)
            {
                return seenBySubscriber.Writer.WriteAsync((i, observed.Count)).AsTask();
            }
        });

        for (var i = 1; i <= 300; i++)
        {
            lock (observed)
            {
                feed.Publish(i);
            }
        }

        // Every event was observed, and observed before its subscriber ran (even the ones the subscriber's queue dropped).
        Assert.Equal(Enumerable.Range(1, 300), observed);
        var last = await ReadUntilAsync(seenBySubscriber.Reader, 300);
        Assert.True(last.ObservedThen >= 300);
    }

    [Fact]
    public void A_failing_observer_does_not_reach_the_publisher_and_a_disposed_one_sees_nothing_more()
    {
        var feed = new LiveFeed<int>();
        var seen = new List<int>();
        using var failing = feed.Observe(_ => throw new InvalidOperationException("a broken read model"));
        var disposed = feed.Observe(seen.Add);

        feed.Publish(1);
        disposed.Dispose();
        feed.Publish(2);

        Assert.Equal(new[] { 1 }, seen);
    }

    private static async Task<(int Event, int ObservedThen)> ReadUntilAsync(ChannelReader<(int Event, int ObservedThen)> reader, int lastEvent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var item = await reader.ReadAsync(timeout.Token);
            Assert.True(item.ObservedThen >= item.Event, $"event {item.Event} reached the subscriber when only {item.ObservedThen} were observed");
            if (item.Event == lastEvent)
            {
                return item;
            }
        }
    }

    [Fact]
    public async Task Events_of_another_node_reach_every_node_subscribers_and_observers_but_not_this_node_only_ones()
    {
        var feed = new LiveFeed<int>();
        var anyNode = Channel.CreateUnbounded<int>();
        var thisNode = Channel.CreateUnbounded<int>();
        var observedAny = new List<int>();
        var observedHere = new List<int>();
        using var all = feed.Subscribe(i => anyNode.Writer.WriteAsync(i).AsTask());
        using var local = feed.Subscribe(i => thisNode.Writer.WriteAsync(i).AsTask(), LiveOrigin.ThisNode);
        using var observeAll = feed.Observe(observedAny.Add);
        using var observeLocal = feed.Observe(observedHere.Add, LiveOrigin.ThisNode);

        feed.PublishFromAnotherNode(1);
        feed.Publish(2);

        Assert.Equal(new[] { 1, 2 }, await ReadAsync(anyNode.Reader, 2));
        // One queue per subscription, in order: had the other node's event been queued, it would come first.
        Assert.Equal(new[] { 2 }, await ReadAsync(thisNode.Reader, 1));
        Assert.Equal([1, 2], observedAny);
        Assert.Equal([2], observedHere);
    }

    private static async Task<int[]> ReadAsync(ChannelReader<int> reader, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var items = new List<int>();
        while (items.Count < count)
        {
            items.Add(await reader.ReadAsync(timeout.Token));
        }

        return [.. items];
    }
}
