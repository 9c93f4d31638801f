using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SendEvents.MailboxProviders;
using Deliverability.Core.SendEvents.Rollups;
using Deliverability.Core.Storage;

namespace Deliverability.Benchmarks.Sending;

/// <summary>
/// A day of a peak read from the send rollups against the same figures read from the raw events, in the same run and
/// the same SQLite file: <c>--events</c> events over one day (3 streams, 2 ESPs, 2 sending domains, 6 mailbox
/// providers), rolled up by the product's processor (its pace is reported too), then each query timed as the median
/// of <c>--repeats</c> runs. The raw baseline counts by stream, mailbox provider and kind (fewer figures than the
/// rollups give: no latency percentiles).
/// </summary>
public static class SendingRollupBenchmark
{
    private static readonly DateTimeOffset Day = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(int events, int repeats, string outputPath, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-sending-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "monitor.db")}").Options;
            var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
            }

            var store = Stopwatch.StartNew();
            await StoreAsync(contexts, events, cancellationToken);
            store.Stop();
            await output.WriteLineAsync($"stored {events:N0} events in {store.Elapsed.TotalSeconds:0.0} s");

            var processor = new SendEventProcessor(contexts, new FixedClassifier(), TimeProvider.System);
            var process = Stopwatch.StartNew();
            while ((await processor.ProcessBatchAsync(5000, cancellationToken)).Events > 0)
            {
            }

            process.Stop();
            long rollupRows;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                rollupRows = await db.Set<SendRollupRow>().LongCountAsync(cancellationToken);
            }

            await output.WriteLineAsync($"rolled up into {rollupRows:N0} rows in {process.Elapsed.TotalSeconds:0.0} s ({events / process.Elapsed.TotalSeconds:N0} events/s)");

            var reader = new SendRollupReader(contexts);
            var (from, to) = (Day, Day.AddDays(1));
            var rollupSummary = await MedianAsync(repeats, () => reader.ByStreamAndProviderAsync(from, to, SendFilter.All, cancellationToken));
            var rollupSeries = await MedianAsync(repeats, () => reader.SeriesAsync(from, to, 60, SendFilter.All, cancellationToken));
            var rawSummary = await MedianAsync(repeats, () => RawSummaryAsync(contexts, from, to, cancellationToken));
            var rawSeries = await MedianAsync(repeats, () => RawHourlyAsync(contexts, from, to, cancellationToken));

            // The same answer both ways, or the comparison means nothing.
            var rollupTotal = SendTotals.Sum((await reader.ByStreamAndProviderAsync(from, to, SendFilter.All, cancellationToken)).Select(r => r.Totals));
            var rawTotal = (await RawSummaryAsync(contexts, from, to, cancellationToken)).Sum(r => r.Count);
            var counted = rollupTotal.Accepted + rollupTotal.Delivered + rollupTotal.Deferred + rollupTotal.Bounces + rollupTotal.Blocked + rollupTotal.Complaints
                + rollupTotal.Unsubscribes + rollupTotal.Opens + rollupTotal.Clicks + rollupTotal.Dropped;
            if (counted != events || rawTotal != events)
            {
                await Console.Error.WriteLineAsync($"error: rollups count {counted}, raw events {rawTotal}, stored {events}");
                return 1;
            }

            var report = new SendingRollupReport(DateTimeOffset.UtcNow, events, rollupRows, store.Elapsed.TotalSeconds, events / process.Elapsed.TotalSeconds,
                rollupSummary, rawSummary, rawSummary / rollupSummary, rollupSeries, rawSeries, rawSeries / rollupSeries, repeats);
            await output.WriteLineAsync($"{"query (one day)",-34} {"rollups ms",12} {"raw events ms",14} {"raw / rollups",14}");
            await output.WriteLineAsync($"{"per stream and mailbox provider",-34} {rollupSummary,12:0.0} {rawSummary,14:0.0} {report.SummaryRatio,14:0.0}");
            await output.WriteLineAsync($"{"per hour",-34} {rollupSeries,12:0.0} {rawSeries,14:0.0} {report.SeriesRatio,14:0.0}");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task StoreAsync(IDbContextFactory<MonitorDbContext> contexts, int events, CancellationToken cancellationToken)
    {
        string[] streams = ["transactional", "marketing", "newsletter"];
        string[] domains = ["gmail.com", "yahoo.com", "outlook.com", "orange.fr", "gmx.de", "icloud.com"];
        var random = new Random(27);
        const int Batch = 20_000;
        for (var done = 0; done < events; done += Batch)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            for (var i = done; i < Math.Min(events, done + Batch); i++)
            {
                // Busier in the evening, as a peak day is.
                var hour = Math.Min(23, (int)(24 * Math.Sqrt(random.NextDouble())));
                var at = Day.AddHours(hour).AddMilliseconds(random.Next(0, 3_600_000));
                var roll = random.NextDouble();
                var kind = roll < 0.85 ? SendEventKind.Delivered : roll < 0.90 ? SendEventKind.Deferred : roll < 0.93 ? SendEventKind.SoftBounce
                    : roll < 0.95 ? SendEventKind.HardBounce : roll < 0.97 ? SendEventKind.Blocked : roll < 0.971 ? SendEventKind.Complaint : SendEventKind.Open;
                db.Add(new SendEventRow
                {
                    Provider = i % 3 == 0 ? "mailgun" : "sendgrid",
                    Source = i % 3 == 0 ? "mailgun" : "sendgrid-main",
                    ProviderEventId = i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                    Stream = streams[i % streams.Length],
                    SendingDomain = i % 2 == 0 ? "shop.example" : "news.shop.example",
                    Kind = kind,
                    OccurredAt = at,
                    ReceivedAt = at,
                    RecipientHash = i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture),
                    RecipientDomain = domains[random.Next(domains.Length)],
                    DeliveryLatencyMs = kind == SendEventKind.Delivered ? random.Next(200, 120_000) : null,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<List<RawCount>> RawSummaryAsync(IDbContextFactory<MonitorDbContext> contexts, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<SendEventRow>().AsNoTracking()
            .Where(e => e.OccurredAt >= from && e.OccurredAt < to)
            .GroupBy(e => new { e.Stream, e.MailboxProvider, e.Kind })
            .Select(g => new RawCount(g.Key.Stream, g.Key.MailboxProvider, g.Key.Kind, g.LongCount()))
            .ToListAsync(cancellationToken);
    }

    // SQLite keeps the event time as a number it cannot divide into hours in the query: the events' times are read and bucketed here.
    private static async Task<Dictionary<long, long>> RawHourlyAsync(IDbContextFactory<MonitorDbContext> contexts, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hours = new Dictionary<long, long>();
        await foreach (var at in db.Set<SendEventRow>().AsNoTracking().Where(e => e.OccurredAt >= from && e.OccurredAt < to).Select(e => e.OccurredAt).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var hour = SendMinute.Of(at) / 60;
            hours[hour] = hours.GetValueOrDefault(hour) + 1;
        }

        return hours;
    }

    private static async Task<double> MedianAsync<T>(int repeats, Func<Task<T>> query)
    {
        await query(); // warm-up: query plans, page cache
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private sealed record RawCount(string Stream, string? MailboxProvider, SendEventKind Kind, long Count);

    private sealed record SendingRollupReport(
        DateTimeOffset At, int Events, long RollupRows, double StoreSeconds, double ProcessedPerSecond,
        double RollupSummaryMs, double RawSummaryMs, double SummaryRatio, double RollupSeriesMs, double RawSeriesMs, double SeriesRatio, int Repeats);

    private sealed class FixedClassifier : IMailboxProviderClassifier
    {
        public ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken) => ValueTask.FromResult(recipientDomain switch
        {
            "gmail.com" => "gmail",
            "yahoo.com" => "yahoo",
            "outlook.com" => "outlook",
            "orange.fr" => "orange",
            "gmx.de" => "gmx",
            "icloud.com" => "apple",
            _ => "other",
        });
    }
}
