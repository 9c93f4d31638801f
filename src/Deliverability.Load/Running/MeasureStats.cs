using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HdrHistogram;

namespace Deliverability.Load.Running;

/// <summary>
/// The live statistics of a scenario's invocations or of one step, written by every worker at once without locks:
/// counters with Interlocked, histograms that accept concurrent writes, bounded dictionaries for status codes and
/// error messages (hostile servers cannot grow them without limit).
/// </summary>
internal sealed class MeasureStats
{
    public const int MaxStatusCodes = 100;
    public const int MaxErrorMessages = 50;
    public const string OtherStatusCode = "other";

    private readonly long[] _outcomes = new long[OutcomeClasses.All.Count];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _statusCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ErrorKey, StrongBox<long>> _errors = new();
    private long _bytes;
    private long _ok;
    private long _failed;

    public MeasureStats(string? stepName) => StepName = stepName;

    public string? StepName { get; }

    public LongConcurrentHistogram ResponseTime { get; } = LatencyHistogram.NewConcurrent();

    public LongConcurrentHistogram ServiceTime { get; } = LatencyHistogram.NewConcurrent();

    public long Ok => Volatile.Read(ref _ok);

    public long Failed => Volatile.Read(ref _failed);

    public long Count => Ok + Failed;

    public long Bytes => Volatile.Read(ref _bytes);

    public void Record(in Response response, long responseMicroseconds, long serviceMicroseconds)
    {
        Interlocked.Increment(ref _outcomes[(int)response.Outcome]);
        Interlocked.Increment(ref response.IsOk ? ref _ok : ref _failed);
        if (response.SizeBytes > 0)
        {
            Interlocked.Add(ref _bytes, response.SizeBytes);
        }

        if (response.StatusCode is { } statusCode)
        {
            CountStatus(statusCode);
        }

        if (!response.IsOk)
        {
            CountError(response);
        }

        ResponseTime.RecordValue(responseMicroseconds);
        ServiceTime.RecordValue(serviceMicroseconds);
    }

    public Dictionary<OutcomeClass, long> Outcomes()
    {
        var outcomes = new Dictionary<OutcomeClass, long>();
        foreach (var outcome in OutcomeClasses.All)
        {
            outcomes[outcome] = Volatile.Read(ref _outcomes[(int)outcome]);
        }

        return outcomes;
    }

    public Dictionary<string, long> StatusCodes() =>
        _statusCodes.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(pair => pair.Key, pair => Volatile.Read(ref pair.Value.Value), StringComparer.Ordinal);

    public IEnumerable<ErrorCount> Errors() => _errors.Select(pair => new ErrorCount
    {
        Step = StepName,
        Outcome = pair.Key.Outcome,
        StatusCode = pair.Key.StatusCode,
        Message = pair.Key.Message,
        Count = Volatile.Read(ref pair.Value.Value),
    });

    private void CountStatus(string statusCode)
    {
        if (!_statusCodes.TryGetValue(statusCode, out var counter))
        {
            var key = _statusCodes.Count < MaxStatusCodes && statusCode.Length <= 32 ? statusCode : OtherStatusCode;
            counter = _statusCodes.GetOrAdd(key, static _ => new StrongBox<long>());
        }

        Interlocked.Increment(ref counter.Value);
    }

    private void CountError(in Response response)
    {
        var message = response.Message ?? response.Outcome.ToString();
        var key = new ErrorKey(response.Outcome, response.StatusCode, message);
        if (!_errors.TryGetValue(key, out var counter))
        {
            if (_errors.Count >= MaxErrorMessages)
            {
                key = new ErrorKey(response.Outcome, null, "(other messages)");
            }
            else if (message.Length > 200)
            {
                key = key with { Message = message[..200] };
            }

            counter = _errors.GetOrAdd(key, static _ => new StrongBox<long>());
        }

        Interlocked.Increment(ref counter.Value);
    }

    private readonly record struct ErrorKey(OutcomeClass Outcome, string? StatusCode, string Message);
}
