using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Deliverability.Testing.Logging;

/// <summary>One log entry: the formatted message, every structured value and the exception, as text.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values, string? Exception)
{
    /// <summary>Everything a log sink could write for this entry.</summary>
    public string AllText => string.Join("\n", [Category, Message, .. Values, Exception ?? ""]);
}

/// <summary>Keeps every log entry of every category at every level, so a test can assert what was (and was not) logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>All entries as one text (for "this secret appears nowhere" assertions).</summary>
    public string AllText => string.Join("\n", _entries.Select(e => e.AllText));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => $"{p.Key}={p.Value}").ToArray() : [];
            entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
