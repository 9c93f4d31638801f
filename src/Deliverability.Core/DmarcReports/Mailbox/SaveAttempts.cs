namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>
/// The failed saves of the inputs still in place, each with when it may be tried again. Kept in memory: after a restart
/// an input starts its count again, which only delays its move to <c>Unsaved</c>; it is never lost either way.
/// </summary>
internal sealed class SaveAttempts<TKey>(TimeSpan retryInterval)
    where TKey : notnull
{
    private readonly Dictionary<TKey, (int Count, DateTimeOffset RetryAt)> _failed = [];

    public bool IsWaiting(TKey key, DateTimeOffset now) => _failed.TryGetValue(key, out var failed) && failed.RetryAt > now;

    /// <summary>Counts one more failed save; returns the count so far.</summary>
    public int Fail(TKey key, DateTimeOffset now)
    {
        var count = (_failed.TryGetValue(key, out var failed) ? failed.Count : 0) + 1;
        _failed[key] = (count, now + retryInterval);
        return count;
    }

    public void Forget(TKey key) => _failed.Remove(key);

    /// <summary>Forgets the inputs no longer there (moved or deleted by someone else).</summary>
    public void KeepOnly(IReadOnlySet<TKey> present)
    {
        foreach (var key in _failed.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _failed.Remove(key);
        }
    }

    /// <summary>The earliest time a waiting input may be tried again; null when none waits.</summary>
    public DateTimeOffset? NextRetry => _failed.Count == 0 ? null : _failed.Values.Min(f => f.RetryAt);
}
