using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Benchmarks.Hooks;

/// <summary>
/// Webhook ingest: stored events/s from SendGrid batches of 1,000 events and requests/s of single Mailgun events, each
/// as a ratio to a baseline endpoint in the same service that only reads the body, in alternating rounds (baseline,
/// hooks). Then a restart round: the service process is killed (SIGKILL) when half of its batches are sent and started
/// again, the client retries every post not answered 2xx as providers do, and every event posted must be stored once.
/// The service runs in its own process (<see cref="HookServer"/>), so its peak resident memory is its own.
/// </summary>
public static class HooksBenchmark
{
    public const string MailgunKey = "bench-mailgun-signing-key";
    private const int EventsPerBatch = 1000;

    public static async Task<int> RunAsync(HooksSettings settings, string output, TextWriter log, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("hooks-bench-").FullName;
        using var signer = new SendGridSigner();
        var results = new Dictionary<string, object> { ["load_average_before"] = LoadAverage() };
        var server = await HookServer.StartAsync(folder, signer.PublicKey, cancellationToken);
        var peak = 0L;
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            long posted = 0, mailgunOk = 0, mailgunFailed = 0;
            var rounds = new List<Dictionary<string, double>>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                var bodies = Batches($"r{round}", settings.Batches);
                var cpu = server.CpuTime;
                var baseline = await TimeAsync(bodies.Length, settings.Concurrency, i => Post(client, server.Url("/bench/baseline"), bodies[i], signer, cancellationToken));
                var baselineCpu = server.CpuTime - cpu;
                cpu = server.CpuTime;
                var hooks = await TimeAsync(bodies.Length, settings.Concurrency, i => PostUntilStoredAsync(() => server, client, bodies[i], signer, cancellationToken));
                // Rolled up as it arrives: the processor's share of the work is counted in the CPU time, as in service.
                var hooksCpu = server.CpuTime - cpu;
                posted += bodies.Length * EventsPerBatch;
                cpu = server.CpuTime;
                var baseSingles = await ForAsync(settings.SinglesSeconds, settings.Concurrency * 2, n => Post(client, server.Url("/bench/baseline"), MailgunBody(n, $"r{round}-base"), null, cancellationToken));
                var baseSinglesCpu = server.CpuTime - cpu;
                cpu = server.CpuTime;
                var mailgun = await ForAsync(settings.SinglesSeconds, settings.Concurrency * 2, n => Post(client, server.Url("/hooks/mailgun"), MailgunBody(n, $"r{round}-mg"), null, cancellationToken));
                var mailgunCpu = server.CpuTime - cpu;
                mailgunOk += mailgun.Ok;
                mailgunFailed += mailgun.Failed;
                var figures = new Dictionary<string, double>
                {
                    ["baseline_events_per_second"] = Math.Round(bodies.Length * EventsPerBatch / baseline.TotalSeconds),
                    ["sendgrid_events_per_second"] = Math.Round(bodies.Length * EventsPerBatch / hooks.TotalSeconds),
                    ["sendgrid_ratio_to_baseline"] = Math.Round(baseline.TotalSeconds / hooks.TotalSeconds, 3),
                    ["baseline_requests_per_second"] = Math.Round(baseSingles.Ok / settings.SinglesSeconds),
                    ["mailgun_requests_per_second"] = Math.Round(mailgun.Ok / settings.SinglesSeconds),
                    ["mailgun_ratio_to_baseline"] = Math.Round(mailgun.Ok / (double)Math.Max(1, baseSingles.Ok), 3),
                    // Events (requests) per second of the service's CPU: what one free core would carry, whatever the load.
                    ["baseline_events_per_cpu_second"] = PerCpuSecond(bodies.Length * EventsPerBatch, baselineCpu),
                    ["sendgrid_events_per_cpu_second"] = PerCpuSecond(bodies.Length * EventsPerBatch, hooksCpu),
                    ["baseline_requests_per_cpu_second"] = PerCpuSecond(baseSingles.Ok, baseSinglesCpu),
                    ["mailgun_requests_per_cpu_second"] = PerCpuSecond(mailgun.Ok, mailgunCpu),
                };
                rounds.Add(figures);
                await log.WriteLineAsync($"round {round}: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value.ToString(CultureInfo.InvariantCulture)}")));
            }

            // The restart round: killed when half of the batches are sent, started again; the senders retry meanwhile.
            var restartBodies = Batches("restart", settings.Batches);
            var restartAt = restartBodies.Length / 2;
            var sent = 0;
            var restart = Stopwatch.StartNew();
            var killed = TimeSpan.Zero;
            var restartTask = Task.Run(async () =>
            {
                while (Volatile.Read(ref sent) < restartAt)
                {
                    await Task.Delay(10, cancellationToken);
                }

                peak = Math.Max(peak, server.PeakResidentBytes);
                var down = Stopwatch.StartNew();
                server.Kill();
                server = await HookServer.StartAsync(folder, signer.PublicKey, cancellationToken);
                killed = down.Elapsed;
            }, cancellationToken);
            await TimeAsync(restartBodies.Length, settings.Concurrency, async i =>
            {
                using var stored = await PostUntilStoredAsync(() => server, client, restartBodies[i], signer, cancellationToken);
                Interlocked.Increment(ref sent);
            });
            await restartTask;
            posted += restartBodies.Length * EventsPerBatch;
            var restartSeconds = restart.Elapsed.TotalSeconds;

            peak = Math.Max(peak, server.PeakResidentBytes);
            await server.StopAsync();
            var (sendGridStored, mailgunStored) = Count(folder);

            results["rounds"] = rounds;
            foreach (var key in rounds[0].Keys)
            {
                results[key + "_median"] = Median(rounds.Select(r => r[key]));
            }

            results["restart_round_seconds"] = Math.Round(restartSeconds, 1);
            results["restart_kill_to_listening_seconds"] = Math.Round(killed.TotalSeconds, 1);
            results["sendgrid_events_posted"] = posted;
            results["sendgrid_events_stored"] = sendGridStored;
            results["mailgun_answered_ok"] = mailgunOk;
            results["mailgun_answered_other"] = mailgunFailed;
            results["mailgun_stored"] = mailgunStored;
            results["service_peak_rss_mb"] = peak / (1024 * 1024);
            results["load_average_after"] = LoadAverage();
            foreach (var (key, value) in results.Where(r => r.Key != "rounds"))
            {
                await log.WriteLineAsync($"{key,-40} {value}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            var lost = sendGridStored != posted || mailgunStored != mailgunOk;
            if (lost)
            {
                await log.WriteLineAsync("FAIL: events posted and answered 200 differ from events stored");
            }

            return lost ? 1 : 0;
        }
        finally
        {
            server.Kill();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The service for <c>hooks-server</c>: listens until its standard input closes.</summary>
    public static async Task<int> ServeAsync(string folder, string sendGridPublicKey, TextWriter output)
    {
        ServiceContentRoot.Use();
        await using var host = new HookHost(folder, sendGridPublicKey);
        host.Run();
        await output.WriteLineAsync(HookServer.ListeningPrefix + host.BaseUrl);
        await output.FlushAsync();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }

    private static string[] Batches(string prefix, int count)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(b => "[" + string.Join(",", Enumerable.Range(0, EventsPerBatch).Select(i =>
            EspPayloads.SendGridDelivered(now, $"{prefix}-{b}-{i}", $"user{i}@example{b % 50}.com"))) + "]")];
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, Uri url, string body, SendGridSigner? signer, CancellationToken cancellationToken)
    {
        using var request = signer is null
            ? new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") }
            : signer.Request(url.ToString(), body, DateTimeOffset.UtcNow);
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>Posts one SendGrid batch until it is answered 2xx, as SendGrid retries (a refused connection, a reset, a 503).</summary>
    private static async Task<HttpResponseMessage> PostUntilStoredAsync(Func<HookServer> server, HttpClient client, string body, SendGridSigner signer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var response = await Post(client, server().Url("/hooks/sendgrid"), body, signer, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string MailgunBody(long n, string prefix)
    {
        var now = DateTimeOffset.UtcNow;
        return MailgunSigner.Body(MailgunKey, now, $"{prefix}-token-{n}", EspPayloads.MailgunDelivered(now, $"user{n % 1000}@example.com"));
    }

    private static (long SendGrid, long Mailgun) Count(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "monitor.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FILTER (WHERE Source = 'sendgrid'), COUNT(*) FILTER (WHERE Source = 'mailgun') FROM send_events";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<TimeSpan> TimeAsync(int count, int concurrency, Func<int, Task> send)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var sent = send(i);
                await sent;
                (sent as Task<HttpResponseMessage>)?.Result.Dispose();
            }
        })));
        return stopwatch.Elapsed;
    }

    private static async Task<(long Ok, long Failed)> ForAsync(double seconds, int concurrency, Func<long, Task<HttpResponseMessage>> send)
    {
        long ok = 0, failed = 0, n = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                using var response = await send(Interlocked.Increment(ref n));
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
            }
        })));
        return (ok, failed);
    }

    private static double PerCpuSecond(long count, TimeSpan cpu) => Math.Round(count / Math.Max(0.01, cpu.TotalSeconds));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : Math.Round((sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2, 3);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

/// <summary>What the hooks benchmark sends: batches a round, seconds of singles a round, posts in flight, rounds.</summary>
public sealed record HooksSettings(int Batches, double SinglesSeconds, int Concurrency, int Rounds);
