using Microsoft.Extensions.Time.Testing;
using Deliverability.Server.Components.Shared;

namespace Deliverability.Server.Tests.Components;

public sealed class ThrottledRefreshTests
{
    [Fact]
    public async Task A_burst_of_events_during_a_refresh_gives_exactly_one_more_refresh()
    {
        var time = new FakeTimeProvider();
        var refreshes = 0;
        var firstRunning = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        using var throttle = new ThrottledRefresh(async () =>
        {
            if (Interlocked.Increment(ref refreshes) == 1)
            {
                firstRunning.SetResult();
                await releaseFirst.Task;
            }
        }, time);

        throttle.Request();
        await firstRunning.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 1000; i++)
        {
            throttle.Request(); // an audit cycle of 1,000 domains
        }

        releaseFirst.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref refreshes) < 2 && DateTime.UtcNow < deadline)
        {
            time.Advance(ThrottledRefresh.MinimumInterval); // the pause between refreshes, on the fake clock
            await Task.Delay(10);
        }

        for (var i = 0; i < 10; i++)
        {
            time.Advance(ThrottledRefresh.MinimumInterval);
            await Task.Delay(10);
        }

        Assert.Equal(2, Volatile.Read(ref refreshes));
    }

    [Fact]
    public async Task A_quiet_request_refreshes_at_once()
    {
        var refreshed = new TaskCompletionSource();
        using var throttle = new ThrottledRefresh(() =>
        {
            refreshed.TrySetResult();
            return Task.CompletedTask;
        }, new FakeTimeProvider());

        throttle.Request();

        await refreshed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
