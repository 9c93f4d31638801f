using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Testing.SendEvents;

namespace Deliverability.Benchmarks.Hooks;

/// <summary>
/// Webhook ingest: stored events/s from SendGrid batches of 1,000 events and requests/s of single Mailgun events, each
/// as a ratio to a baseline endpoint in the same host that only reads the body; the service is restarted mid-run (the
/// client retries what failed, as providers do) and every event posted must be stored exactly once.
/// </summary>
public static class HooksBenchmark
{
    private const string MailgunKey = "bench-mailgun-signing-key";

    public static async Task<int> RunAsync(int batches, double singlesSeconds, int concurrency, string output, TextWriter log, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("hooks-bench-").FullName;
        using var signer = new SendGridSigner();
        var results = new Dictionary<string, object>();
        try
        {
            var app = Start(folder, signer);
            var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
            var now = DateTimeOffset.UtcNow;
            var batchBodies = Enumerable.Range(0, batches).Select(b => "[" + string.Join(",", Enumerable.Range(0, 1000).Select(i =>
                EspPayloads.SendGridDelivered(now, $"bench-{b}-{i}", $"user{i}@example{b % 50}.com"))) + "]").ToArray();

            // Baseline: the same bodies to an endpoint that only reads them.
            var baseline = await TimeAsync(batches, concurrency, i => client.PostAsync("/bench/baseline", new StringContent(batchBodies[i], Encoding.UTF8, "application/json"), cancellationToken));
            var baselineEvents = batches * 1000 / baseline.TotalSeconds;

            // SendGrid batches, the service restarted when half are sent.
            var peak = new PeakMemory();
            var restartAt = batches / 2;
            var restarted = 0;
            var stopwatch = Stopwatch.StartNew();
            var next = -1;
            var gate = new SemaphoreSlim(1, 1);
            async Task Worker()
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches)
                {
                    if (i == restartAt && Interlocked.Exchange(ref restarted, 1) == 0)
                    {
                        await gate.WaitAsync(cancellationToken);
                        await app.DisposeAsync();
                        app = Start(folder, signer);
                        client = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
                        gate.Release();
                    }

                    // Retried until answered 200, as SendGrid retries.
                    while (true)
                    {
                        peak.Sample();
                        try
                        {
                            var (signature, stamp) = signer.Sign(batchBodies[i], DateTimeOffset.UtcNow);
                            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(app.BaseUrl), "/hooks/sendgrid")) { Content = new StringContent(batchBodies[i], Encoding.UTF8, "application/json") };
                            request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", signature);
                            request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", stamp);
                            using var response = await client.SendAsync(request, cancellationToken);
                            if (response.IsSuccessStatusCode)
                            {
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException)
                        {
                        }

                        await Task.Delay(100, cancellationToken);
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, cancellationToken)));
            var hooksSeconds = stopwatch.Elapsed.TotalSeconds;
            var stored = Count(folder);
            var hookEvents = batches * 1000 / hooksSeconds;

            // Single Mailgun events against single small bodies to the baseline, for the same time each.
            var baseSingles = await ForAsync(singlesSeconds, concurrency * 2, n => client.PostAsync("/bench/baseline", new StringContent(MailgunBody(n, "base"), Encoding.UTF8, "application/json"), cancellationToken));
            var mailgun = await ForAsync(singlesSeconds, concurrency * 2, n => client.PostAsync("/hooks/mailgun", new StringContent(MailgunBody(n, "mg"), Encoding.UTF8, "application/json"), cancellationToken));
            var mailgunStored = Count(folder) - stored;
            await app.DisposeAsync();

            results["sendgrid_events_per_second"] = Math.Round(hookEvents);
            results["baseline_events_per_second"] = Math.Round(baselineEvents);
            results["sendgrid_ratio_to_baseline"] = Math.Round(hookEvents / baselineEvents, 3);
            results["events_posted"] = batches * 1000;
            results["events_stored"] = stored;
            results["restarted_mid_run"] = restarted == 1;
            results["mailgun_requests_per_second"] = Math.Round(mailgun.Ok / singlesSeconds);
            results["baseline_requests_per_second"] = Math.Round(baseSingles.Ok / singlesSeconds);
            results["mailgun_ratio_to_baseline"] = Math.Round(mailgun.Ok / (double)Math.Max(1, baseSingles.Ok), 3);
            results["mailgun_answered_ok"] = mailgun.Ok;
            results["mailgun_stored"] = mailgunStored;
            results["peak_working_set_mb"] = peak.Megabytes;
            foreach (var (key, value) in results)
            {
                await log.WriteLineAsync($"{key,-32} {value}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            var lost = stored != batches * 1000 || mailgunStored != mailgun.Ok;
            if (lost)
            {
                await log.WriteLineAsync("FAIL: events posted and answered 200 differ from events stored");
            }

            return lost ? 1 : 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string MailgunBody(long n, string prefix)
    {
        var now = DateTimeOffset.UtcNow;
        return MailgunSigner.Body(MailgunKey, now, $"{prefix}-token-{n}-{Guid.NewGuid():N}", EspPayloads.MailgunDelivered(now, $"user{n % 1000}@example.com"));
    }

    private static long Count(string folder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "monitor.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM send_events";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<TimeSpan> TimeAsync(int count, int concurrency, Func<int, Task<HttpResponseMessage>> send)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                (await send(i)).Dispose();
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

    private static HookHost Start(string folder, SendGridSigner signer) => new HookHost(folder, signer.PublicKey).Run();

    private sealed class PeakMemory
    {
        private long _peak;

        public long Megabytes => _peak / (1024 * 1024);

        public void Sample()
        {
            var now = Environment.WorkingSet;
            if (now > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, now);
            }
        }
    }

    /// <summary>The real service on Kestrel with a SendGrid and a Mailgun source, plus the baseline endpoint.</summary>
    private sealed class HookHost(string folder, string publicKey) : WebApplicationFactory<Deliverability.Server.SendEvents.Hooks.SendEventFormats>
    {
        public string BaseUrl { get; private set; } = "";

        public HookHost Run()
        {
            UseKestrel(0);
            StartServer();
            BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
            return this;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "monitor.db")}",
                ["Secrets:KeysFolder"] = Path.Combine(folder, "keys"),
                ["Auth:FirstAdmin:Password"] = "bench-admin-password-0123",
                ["Logging:LogLevel:Default"] = "Error",
                ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
                ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
                ["Monitor:SendEvents:RecipientHashKey"] = "bench-recipient-hash-key-0123456789",
                ["Monitor:SendEvents:MaxRequestBytes"] = "4194304",
                ["Monitor:SendEvents:Sources:0:Name"] = "sendgrid",
                ["Monitor:SendEvents:Sources:0:Provider"] = "sendgrid",
                ["Monitor:SendEvents:Sources:0:PublicKey"] = publicKey,
                ["Monitor:SendEvents:Sources:1:Name"] = "mailgun",
                ["Monitor:SendEvents:Sources:1:Provider"] = "mailgun",
                ["Monitor:SendEvents:Sources:1:SigningKey"] = MailgunKey,
            })
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, BaselineEndpoint>());
        }
    }

    /// <summary><c>POST /bench/baseline</c>: reads the body and answers 200, before anything else of the pipeline.</summary>
    private sealed class BaselineEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Path == "/bench/baseline")
                {
                    var buffer = new byte[16384];
                    while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                    {
                    }

                    context.Response.StatusCode = 200;
                    return;
                }

                await following(context);
            });
            next(app);
        };
    }
}
