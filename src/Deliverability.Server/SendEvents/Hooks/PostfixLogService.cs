using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.Ingest;
using Deliverability.Core.SendEvents.Sources;
using Deliverability.Core.SendEvents.Sources.Postfix;

namespace Deliverability.Server.SendEvents.Hooks;

/// <summary>
/// Follows each configured Postfix log (a file, or journald through <c>journalctl -o json -f</c>) and stores its delivery
/// attempts as send events through the shared writer; where it was read up to is saved after each commit, so a restart
/// resumes there and a line read twice is a duplicate, never a second event.
/// </summary>
internal sealed partial class PostfixLogService(
    IOptions<SendEventsOptions> options, SendEventNormalizers normalizers, SendEventWriter writer, PostfixLogOffsets offsets,
    TimeProvider time, ILogger<PostfixLogService> logger) : BackgroundService
{
    public const string Provider = "postfix";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.PostfixLogs.Select(log => log.Journal ? FollowJournalAsync(log, stoppingToken) : FollowFileAsync(log, stoppingToken)));

    private async Task FollowFileAsync(PostfixLogOptions log, CancellationToken stoppingToken)
    {
        using var follower = new LogFileFollower(log.Path!);
        var reader = new PostfixLogReader();
        if (await offsets.LoadAsync(log.Name, stoppingToken) is { } position)
        {
            follower.Restore(position);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lines = follower.ReadLines();
                if (lines.Count == 0)
                {
                    await Task.Delay(log.PollInterval, time, stoppingToken);
                    continue;
                }

                var now = time.GetUtcNow();
                await StoreAsync(log, lines.Select(l => reader.Read(l, now)), stoppingToken);
                await offsets.SaveAsync(log.Name, follower.Position, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, log.Name, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    private async Task FollowJournalAsync(PostfixLogOptions log, CancellationToken stoppingToken)
    {
        var reader = new PostfixLogReader();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cursor = (await offsets.LoadAsync(log.Name, stoppingToken))?.Fingerprint;
                var start = new ProcessStartInfo("journalctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in new[] { "-o", "json", "-f", "-u", log.JournalUnit, "--no-tail" })
                {
                    start.ArgumentList.Add(argument);
                }

                start.ArgumentList.Add(string.IsNullOrEmpty(cursor) ? "--since=now" : $"--after-cursor={cursor}");
                using var process = Process.Start(start) ?? throw new InvalidOperationException("journalctl did not start");
                process.ErrorDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                try
                {
                    await ReadJournalAsync(log, reader, process.StandardOutput, stoppingToken);
                }
                finally
                {
                    if (!process.HasExited)
                    {
                        process.Kill();
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, log.Name, ex);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
        }
    }

    private async Task ReadJournalAsync(PostfixLogOptions log, PostfixLogReader reader, StreamReader output, CancellationToken stoppingToken)
    {
        var batch = new List<SendEventDraft?>();
        string? cursor = null;
        while (await output.ReadLineAsync(stoppingToken) is { } line)
        {
            if (JournalEntry(line) is { } entry)
            {
                batch.Add(reader.ReadJournal(entry.Message, entry.At, entry.Cursor));
                cursor = entry.Cursor;
            }

            // A batch ends when journalctl has nothing more to give right now, or at 1,000 entries.
            if (cursor is not null && (batch.Count >= 1000 || output.Peek() < 0))
            {
                await StoreAsync(log, batch, stoppingToken);
                await offsets.SaveAsync(log.Name, new LogPosition(0, cursor, 0), stoppingToken);
                batch.Clear();
            }
        }
    }

    /// <summary>One line of <c>journalctl -o json</c>: MESSAGE, __REALTIME_TIMESTAMP (microseconds) and __CURSOR.</summary>
    internal static (string Message, DateTimeOffset At, string Cursor)? JournalEntry(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (!root.TryGetProperty("MESSAGE", out var message) || message.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("__CURSOR", out var cursor) || cursor.GetString() is not { Length: <= 1000 } cursorText
                || !root.TryGetProperty("__REALTIME_TIMESTAMP", out var realtime)
                || !long.TryParse(realtime.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
            {
                return null;
            }

            return (message.GetString()!, DateTimeOffset.UnixEpoch.AddTicks(micros * 10), cursorText);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task StoreAsync(PostfixLogOptions log, IEnumerable<SendEventDraft?> drafts, CancellationToken stoppingToken)
    {
        var normalizer = normalizers.For(options.Value);
        var rows = drafts.OfType<SendEventDraft>().Select(d => normalizer.Normalise(Provider, log.Name, d)).ToList();
        if (rows.Count > 0)
        {
            await writer.WriteAsync(rows, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Following the Postfix log {Name} failed; it is tried again")]
    private static partial void LogFailed(ILogger logger, string name, Exception ex);
}
