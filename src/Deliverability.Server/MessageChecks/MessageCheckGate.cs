using Microsoft.Extensions.Options;
using Deliverability.Core.MessageChecks;

namespace Deliverability.Server.MessageChecks;

/// <summary>There are already as many checks running and waiting as allowed; try again after <see cref="RetryAfter"/>.</summary>
public sealed class MessageChecksBusyException(TimeSpan retryAfter)
    : Exception($"{MessageChecksBusyText.Message} Try again in about {Math.Ceiling(retryAfter.TotalSeconds)} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

internal static class MessageChecksBusyText
{
    public const string Message = "The service is already running and queueing as many message checks as it allows (Monitor:MessageChecks:MaxConcurrent, MaxQueued).";
}

/// <summary>
/// The cap on message checks: at most <see cref="MessageCheckOptions.MaxConcurrent"/> run at once (renders and spamd
/// are heavy), <see cref="MessageCheckOptions.MaxQueued"/> more wait in line, and an upload beyond that is refused at
/// once with the time a place is expected to free up. The mailbox's checks wait in line without a limit: their
/// messages stay in the mailbox meanwhile.
/// </summary>
public sealed class MessageCheckGate(IOptions<MessageCheckOptions> options, TimeProvider time)
{
    private static readonly TimeSpan FirstGuess = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrent, options.Value.MaxConcurrent);
    private readonly Lock _gate = new();
    private int _admitted;
    private TimeSpan _averageDuration = FirstGuess;

    /// <summary>Checks running or waiting.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>When a place is expected to free up: the recent average duration of a check for each round of the line ahead.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_gate)
            {
                var rounds = 1 + Math.Max(0, Admitted - options.Value.MaxConcurrent) / options.Value.MaxConcurrent;
                return TimeSpan.FromSeconds(Math.Max(5, Math.Ceiling(_averageDuration.TotalSeconds * rounds)));
            }
        }
    }

    /// <summary>A place in line, then a slot; <see cref="MessageChecksBusyException"/> when the line is full.</summary>
    public Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > options.Value.MaxConcurrent + options.Value.MaxQueued)
        {
            Interlocked.Decrement(ref _admitted);
            throw new MessageChecksBusyException(RetryAfter);
        }

        return TakeSlotAsync(cancellationToken);
    }

    /// <summary>A slot, however long the line: for the check mailbox, whose messages wait in the mailbox.</summary>
    public Task<IAsyncDisposable> WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _admitted);
        return TakeSlotAsync(cancellationToken);
    }

    private async Task<IAsyncDisposable> TakeSlotAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        return new Slot(this, time.GetTimestamp());
    }

    private void Release(long startedAt)
    {
        lock (_gate)
        {
            // A moving average: the estimate follows the checks' real cost (spamd warm or cold, big or small renders).
            _averageDuration = (_averageDuration * 3 + time.GetElapsedTime(startedAt)) / 4;
        }

        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    private sealed class Slot(MessageCheckGate gate, long startedAt) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release(startedAt);
            }

            return ValueTask.CompletedTask;
        }
    }
}
