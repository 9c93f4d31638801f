using Deliverability.Core.Alerts;
using Deliverability.Core.Live;

namespace Deliverability.Server.Alerts;

/// <summary>The first active alerts (firing first, most recently changed first) and how many are active in all.</summary>
public sealed record ActiveAlerts(IReadOnlyList<AlertRow> First, int Count);

/// <summary>
/// The Overview's active-alerts panel, read once for every open dashboard: read again after an alert change is announced
/// on <see cref="LiveFeed{T}"/> (and at least every <see cref="MaxAge"/>), not once per open page per change.
/// Callers that arrive while a read is running wait for the next one and share it.
/// </summary>
public sealed class ActiveAlertsBoard : IDisposable
{
    /// <summary>How many alerts the panel lists (the Alerts page has them all).</summary>
    public const int Shown = 10;

    /// <summary>The longest a read is used without an announced change (changes made on another node reach the feed only through the live push between nodes, which may be off or down).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private static readonly AlertFilter FirstActive = new(Limit: Shown);

    private readonly AlertStore _store;
    private readonly TimeProvider _time;
    private readonly IDisposable _observation;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private long _announced;
    private Read? _last;

    private sealed record Read(long AnnouncedBefore, DateTimeOffset At, ActiveAlerts Alerts);

    public ActiveAlertsBoard(AlertStore store, LiveFeed<AlertChanged> changes, TimeProvider time)
    {
        _store = store;
        _time = time;
        _observation = changes.Observe(_ => Interlocked.Increment(ref _announced));
    }

    /// <summary>The active alerts, including every change announced before this call.</summary>
    public async Task<ActiveAlerts> GetAsync(CancellationToken cancellationToken)
    {
        var wanted = Interlocked.Read(ref _announced);
        if (Volatile.Read(ref _last) is { } last && Covers(last, wanted))
        {
            return last.Alerts;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } meanwhile && Covers(meanwhile, wanted))
            {
                return meanwhile.Alerts;
            }

            var announced = Interlocked.Read(ref _announced);
            var at = _time.GetUtcNow();
            var first = await _store.ListAsync(FirstActive, cancellationToken);
            var count = first.Count < Shown ? first.Count : await _store.CountAsync(FirstActive, cancellationToken);
            var read = new Read(announced, at, new ActiveAlerts(first, count));
            Volatile.Write(ref _last, read);
            return read.Alerts;
        }
        finally
        {
            _reading.Release();
        }
    }

    private bool Covers(Read read, long announced) => read.AnnouncedBefore >= announced && _time.GetUtcNow() - read.At < MaxAge;

    public void Dispose()
    {
        _observation.Dispose();
        _reading.Dispose();
    }
}
