namespace Deliverability.Server.Components.Shared;

/// <summary>
/// Coalesces bursts of live events into at most one refresh per <see cref="MinimumInterval"/>: an audit cycle of 1,000
/// domains publishes 1,000 events, and a page must not reload 1,000 times. The first event after a quiet period
/// refreshes at once; events during a refresh or within the interval lead to exactly one more refresh afterwards.
/// </summary>
public sealed class ThrottledRefresh(Func<Task> refresh, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _disposed = new();
    private int _pending; // 0 idle, 1 a refresh is scheduled or running, 2 and another event came meanwhile

    /// <summary>Asks for a refresh; returns at once.</summary>
    public void Request()
    {
        if (Interlocked.Increment(ref _pending) == 1)
        {
            _ = RunAsync();
        }
        else
        {
            Interlocked.Exchange(ref _pending, 2);
        }
    }

    private async Task RunAsync()
    {
        var token = _disposed.Token;
        while (!token.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _pending, 1);
            try
            {
                await refresh();
            }
#pragma warning disable CA1031 // A failed refresh (a closed circuit) must not end the throttle; the next event retries.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            try
            {
                await Task.Delay(MinimumInterval, time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _pending, 0, 1) == 1)
            {
                return; // nothing came in meanwhile
            }
        }
    }

    public void Dispose()
    {
        // Not disposed: a Request racing with Dispose must find a cancelled token, not a disposed one.
        _disposed.Cancel();
    }
}
