using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Ingest;

/// <summary>
/// The one writer of send events, shared by every webhook request and log tailer: requests queue their rows and await
/// their commit, and the writer stores whatever has queued meanwhile in one transaction (group commit), so a thousand
/// concurrent posts cost a few commits, not a thousand. A request is answered only after its rows are durable. When a
/// group fails, each request of it is tried alone, so one bad request never fails the others.
/// </summary>
public sealed class SendEventWriter(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time, SendEventArrivals arrivals, ILogger<SendEventWriter> logger)
{
    /// <summary>Requests waiting for a commit; further ones wait to queue, so memory stays bounded under any load.</summary>
    public const int MaxQueuedRequests = 512;

    /// <summary>Rows a commit takes at most.</summary>
    public const int MaxRowsPerCommit = 20_000;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores <paramref name="rows"/> (duplicates skipped) and returns once they are committed: the number newly stored.</summary>
    /// <exception cref="SendEventStorageException">They could not be stored; the caller answers so that the provider retries.</exception>
    public async Task<int> WriteAsync(IReadOnlyList<SendEventRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var pending = new PendingWrite(rows);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        // Not cancelled with the request: once queued, the rows are stored whether or not the client still waits.
        return await pending.Stored.Task.ConfigureAwait(false);
    }

    /// <summary>The writer's loop, until <paramref name="stopping"/>; what is queued by then is still stored.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                await CommitQueuedAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryPeek(out _))
        {
            await CommitQueuedAsync().ConfigureAwait(false);
        }
    }

    private async Task CommitQueuedAsync()
    {
        var group = new List<PendingWrite>();
        var rows = 0;
        while (rows < MaxRowsPerCommit && _queue.Reader.TryRead(out var next))
        {
            group.Add(next);
            rows += next.Rows.Count;
        }

        if (group.Count == 0)
        {
            return;
        }

        try
        {
            var stored = await CommitAsync(group).ConfigureAwait(false);
            arrivals.Notify();
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Stored.TrySetResult(stored[i]);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (group.Count == 1)
            {
                logger.LogError(ex, "Storing {Rows} send events failed", group[0].Rows.Count);
                group[0].Stored.TrySetException(new SendEventStorageException(ex));
                return;
            }

            foreach (var one in group)
            {
                try
                {
                    one.Stored.TrySetResult((await CommitAsync([one]).ConfigureAwait(false))[0]);
                    arrivals.Notify();
                }
                catch (Exception single) when (single is not OutOfMemoryException)
                {
                    logger.LogError(single, "Storing {Rows} send events failed", one.Rows.Count);
                    one.Stored.TrySetException(new SendEventStorageException(single));
                }
            }
        }
    }

    private async Task<int[]> CommitAsync(IReadOnlyList<PendingWrite> group)
    {
        await using var db = await contexts.CreateDbContextAsync().ConfigureAwait(false);
        var insert = new SendEventInsert(db);
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var now = time.GetUtcNow();
        var stored = new int[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            foreach (var row in group[i].Rows)
            {
                row.ReceivedAt = now;
            }

            stored[i] = await insert.InsertAsync(connection, transaction, group[i].Rows, CancellationToken.None).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return stored;
    }

    private sealed record PendingWrite(IReadOnlyList<SendEventRow> Rows)
    {
        public TaskCompletionSource<int> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Send events could not be stored (the database is down or full); nothing of the request was kept.</summary>
public sealed class SendEventStorageException(Exception inner) : Exception("the send events could not be stored", inner);
