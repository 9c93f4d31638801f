using System.Diagnostics;
using System.Globalization;

namespace Deliverability.Cli;

/// <summary>
/// A one-line progress display on standard error while many domains are audited: done, rate, and a bar when the total
/// is known. Redrawn at most five times a second, and only when standard error is a terminal (never into a file or pipe).
/// </summary>
public sealed class AuditProgress
{
    private const int BarWidth = 30;
    private static readonly long RedrawTicks = Stopwatch.Frequency / 5;

    private readonly TextWriter _terminal;
    private readonly long? _total;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastDrawn;
    private long _done;
    private long _problems;

    private AuditProgress(TextWriter terminal, long? total)
    {
        _terminal = terminal;
        _total = total;
    }

    /// <summary>
    /// A progress display on <paramref name="stderr"/> if it is the console's and a terminal; otherwise null. The total
    /// (null when unknown) is counted only when the display is shown.
    /// </summary>
    public static async Task<AuditProgress?> ForTerminalAsync(TextWriter stderr, Func<Task<long?>> countTotal)
    {
        // The line redraws itself with CR and ESC [K, so it is written beneath the escaping of everything else printed.
        var terminal = TerminalSafeWriter.Beneath(stderr);
        return ReferenceEquals(terminal, Console.Error) && !Console.IsErrorRedirected ? new AuditProgress(terminal, await countTotal().ConfigureAwait(false)) : null;
    }

    public void Advance(bool problem)
    {
        _done++;
        if (problem)
        {
            _problems++;
        }

        var now = Stopwatch.GetTimestamp();
        if (now - _lastDrawn >= RedrawTicks)
        {
            _lastDrawn = now;
            Draw(now);
        }
    }

    /// <summary>Clears the line, so that what follows starts on a clean one.</summary>
    public void Finish() => _terminal.Write("\r\u001b[K");

    private void Draw(long now)
    {
        var seconds = Math.Max(0.001, (now - _started) / (double)Stopwatch.Frequency);
        var rate = _done / seconds;
        var text = _total is { } total && total > 0
            ? $"[{new string('#', (int)(BarWidth * Math.Min(1, (double)_done / total))),-BarWidth}] {_done.ToString("N0", CultureInfo.InvariantCulture)}/{total.ToString("N0", CultureInfo.InvariantCulture)}"
            : $"{_done.ToString("N0", CultureInfo.InvariantCulture)} done";
        _terminal.Write($"\r\u001b[K{text}  {rate.ToString("N0", CultureInfo.InvariantCulture)}/s  {_problems.ToString("N0", CultureInfo.InvariantCulture)} not ok");
    }
}
