using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;
using Deliverability.Migrations;
using Quartz;

namespace Deliverability.Server.Infrastructure;

/// <summary>
/// One run of a scheduled job at a time across a cluster, whatever the job store believes. Quartz takes a node for dead
/// when its check-ins are late (a busy or paused node too) and runs its job again elsewhere while the first run may still
/// go on; the run lock makes that second run wait for the first, which then finds the work of the fire done
/// (<see cref="RepeatedFire"/>). On PostgreSQL it is a session advisory lock: a node that really died loses it with its
/// session. On SQLite (one node) Quartz's own <c>DisallowConcurrentExecution</c> is enough.
/// </summary>
public sealed class JobRunLock(IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    /// <summary>Waits until no other node runs <paramref name="job"/>; dispose the result when the run ends.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(JobKey job, CancellationToken cancellationToken)
    {
        var options = storage.Value;
        if (options.ParsedProvider != StorageProvider.Postgres)
        {
            return NoLock.Instance;
        }

        // The run of the other node may be long; stopping this node cancels the wait.
        return await AdvisoryLock.AcquireAsync(options.EffectiveConnectionString(environment.ContentRootPath), KeyOf(job), cancellationToken);
    }

    // A stable number per job (the same on every node and release), apart from the other locks' small constants.
    private static long KeyOf(JobKey job) =>
        BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes("quartz-run:" + job.Group + "." + job.Name)));

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
