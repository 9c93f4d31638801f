using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Deliverability.Core.DmarcReports.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// Faults injected where the real report stores meet the database (an EF Core interceptor on their contexts): the
/// commit of a report's transaction throws when <see cref="FailCommit"/> picks it, as a database that is locked or has
/// gone away would, and the reports whose commit went through are known (<see cref="Committed"/>). It can also hold the
/// first insert of a report row until <see cref="RaceAtFirstInsert"/> importers have reached it, so two nodes race on the
/// unique key instead of one seeing the other's report before it starts.
/// </summary>
internal sealed class StorageFaults : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, byte> _committed = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allAtInsert = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _commits;
    private int _atInsert;
    private int _failedCommits;

    /// <summary>Whether the commit (1-based number among report commits, the report ids it carries) fails.</summary>
    public Func<int, IReadOnlyList<string>, bool> FailCommit { get; set; } = (_, _) => false;

    /// <summary>Called just before each report commit, failing or not, with the ids it carries.</summary>
    public Action<IReadOnlyList<string>>? BeforeCommit { get; set; }

    /// <summary>How many importers the first report-row insert waits for (0: none).</summary>
    public int RaceAtFirstInsert { get; set; }

    /// <summary>The report ids whose transaction committed.</summary>
    public IReadOnlyCollection<string> Committed => [.. _committed.Keys];

    public int FailedCommits => _failedCommits;

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        var ids = ReportIds(eventData.Context);
        if (ids.Count == 0)
        {
            return ValueTask.FromResult(result);
        }

        BeforeCommit?.Invoke(ids);
        var number = Interlocked.Increment(ref _commits);
        if (FailCommit(number, ids))
        {
            Interlocked.Increment(ref _failedCommits);
            throw new InjectedStorageFault($"database is locked (injected fault on report commit {number})");
        }

        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        foreach (var id in ReportIds(eventData.Context))
        {
            _committed.TryAdd(id, 0);
        }

        return Task.CompletedTask;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (RaceAtFirstInsert > 0 && command.CommandText.Contains("INSERT INTO \"dmarc_reports\"", StringComparison.Ordinal) && !_allAtInsert.Task.IsCompleted)
        {
            if (Interlocked.Increment(ref _atInsert) >= RaceAtFirstInsert)
            {
                _allAtInsert.TrySetResult();
            }

            // Bounded: a node that never comes must not hang the test.
            await _allAtInsert.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return result;
    }

    private static List<string> ReportIds(DbContext? context) => context is null
        ? []
        : [.. context.ChangeTracker.Entries<DmarcReportRow>().Select(e => e.Entity.ReportId), .. context.ChangeTracker.Entries<TlsRptReportRow>().Select(e => e.Entity.ReportId)];

    private sealed class InjectedStorageFault(string message) : DbException(message);
}
