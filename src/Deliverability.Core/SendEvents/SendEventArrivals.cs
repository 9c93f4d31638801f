using System.Threading.Channels;

namespace Deliverability.Core.SendEvents;

/// <summary>
/// Tells the rollup processor that send events were stored in this process, so that it sleeps while nothing arrives
/// instead of polling. Stores while it works are folded into one wake-up.
/// </summary>
public sealed class SendEventArrivals
{
    private readonly Channel<bool> _stored = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Events were committed (or the sources changed): wakes the waiting processor.</summary>
    public void Notify() => _stored.Writer.TryWrite(true);

    /// <summary>Waits for <see cref="Notify"/> at most <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until it comes); false when the time ran out.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var expiry = timeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await _stored.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
