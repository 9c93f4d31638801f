using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Core.Audits;
using Monitor.Core.Live;
using Monitor.Core.Monitoring;
using Monitor.Core.Storage;
using Monitor.Server.Dashboard;

namespace Monitor.Benchmarks.Dashboard;

internal sealed class DashboardBenchmarkSettings
{
    public int Domains { get; init; } = 1000;

    /// <summary>Stored audits per domain before measuring (each changes some statuses, so the strips and history fill).</summary>
    public int Rounds { get; init; } = 4;

    public int Renders { get; init; } = 30;

    public int Circuits { get; init; } = 20;

    public string OutputPath { get; init; } = "artifacts/bench/dashboard.json";
}

/// <summary>
/// The dashboard with N domains in the store: server render time of the overview page (target 500 ms) against loading its
/// data alone in the same run, the same while audit results stream in, and the server memory each open dashboard holds.
/// </summary>
internal static partial class DashboardBenchmark
{
    private const double TargetMilliseconds = 500;
    private const double TargetMegabytesPerCircuit = 5;
    private static readonly string[] Checks = ["spf", "dkim", "dmarc", "mx", "rdns", "mta-sts", "tls-rpt", "bimi", "bulk-sender"];

    public static async Task<int> RunAsync(DashboardBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-bench-dashboard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var host = new DashboardHost(folder);
            host.Start();
            var seed = Stopwatch.StartNew();
            await SeedAsync(host.Services, settings, cancellationToken);
            await output.WriteLineAsync($"seeded {settings.Domains} domains x {settings.Rounds} audits in {seed.Elapsed.TotalSeconds:F1} s");

            using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
            api.DefaultRequestHeaders.Add("X-Api-Key", DashboardHost.AdminKey);
            var board = host.Services.GetRequiredService<DomainBoard>();

            var first = Stopwatch.StartNew();
            var page = await api.GetStringAsync("/", cancellationToken);
            await output.WriteLineAsync($"first overview render {first.Elapsed.TotalMilliseconds:F0} ms");
            // The rows are virtualized (only the visible ones are rendered): the counters account for every domain.
            var counted = DomainCounter().Matches(page).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (counted != settings.Domains)
            {
                await output.WriteLineAsync($"error: the overview counts {counted} domains, expected {settings.Domains}");
                return 1;
            }

            var loadData = await TimeAsync(settings.Renders, () => board.GetTilesAsync(cancellationToken), cancellationToken);
            var apiList = await TimeAsync(settings.Renders, () => api.GetStringAsync("/api/domains", cancellationToken), cancellationToken);
            var overview = await TimeAsync(settings.Renders, () => api.GetStringAsync("/", cancellationToken), cancellationToken);
            await output.WriteLineAsync($"timed renders; opening {settings.Circuits + 1} dashboards in Chromium");

            // Open dashboards: one warm-up tab, then N more; memory is the managed heap after a full collection.
            await using var chromium = await HeadlessChromium.StartAsync(cancellationToken);
            await chromium.SetCookieAsync("monitor.auth", await SignInCookieAsync(host.BaseUrl, cancellationToken), cancellationToken);
            await chromium.OpenTabAsync(host.BaseUrl + "/", cancellationToken);
            await WaitForCircuitsAsync(host.Circuits, 1, cancellationToken);
            await Task.Delay(2000, cancellationToken);
            var before = HeapAfterFullCollection();
            for (var i = 0; i < settings.Circuits; i++)
            {
                await chromium.OpenTabAsync(host.BaseUrl + "/", cancellationToken);
            }

            await WaitForCircuitsAsync(host.Circuits, settings.Circuits + 1, cancellationToken);
            await Task.Delay(3000, cancellationToken);
            var after = HeapAfterFullCollection();
            await output.WriteLineAsync("dashboards open; streaming results");
            var perCircuitMb = (after - before) / (double)settings.Circuits / (1024 * 1024);

            // Results streaming in: every domain re-audited in a loop (stored and published) while the tabs are open.
            using var streaming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var streamed = 0;
            var stream = Task.Run(async () =>
            {
                var round = settings.Rounds;
                while (!streaming.IsCancellationRequested)
                {
                    round++;
                    for (var i = 0; i < settings.Domains && !streaming.IsCancellationRequested; i++)
                    {
                        await SaveAsync(host.Services, i, round, CancellationToken.None);
                        Interlocked.Increment(ref streamed);
                    }
                }
            }, CancellationToken.None);
            await Task.Delay(1000, cancellationToken);
            var streamedBefore = Volatile.Read(ref streamed);
            var underStream = await TimeAsync(10, () => api.GetStringAsync("/", cancellationToken), cancellationToken);
            var streamedDuring = Volatile.Read(ref streamed) - streamedBefore;
            await streaming.CancelAsync();
            await stream;

            var report = new
            {
                domains = settings.Domains,
                overviewHtmlBytes = page.Length,
                loadDataMs = loadData,
                apiListMs = apiList,
                overviewRenderMs = overview,
                overviewVsTarget = overview.Median / TargetMilliseconds,
                overviewVsLoadData = overview.Median / loadData.Median,
                overviewWhileStreamingMs = underStream,
                streamingVsIdle = underStream.Median / overview.Median,
                resultsStreamedDuringMeasurement = streamedDuring,
                circuits = settings.Circuits,
                heapBeforeMb = before / (1024.0 * 1024),
                heapAfterMb = after / (1024.0 * 1024),
                megabytesPerCircuit = perCircuitMb,
                perCircuitVsTarget = perCircuitMb / TargetMegabytesPerCircuit,
            };

            await output.WriteLineAsync($"domains                         {settings.Domains} ({page.Length / 1024} KB of overview HTML)");
            await output.WriteLineAsync($"load the data alone (baseline)  median {loadData.Median:F1} ms  p95 {loadData.P95:F1} ms");
            await output.WriteLineAsync($"GET /api/domains                median {apiList.Median:F1} ms  p95 {apiList.P95:F1} ms");
            await output.WriteLineAsync($"GET / (overview, server render) median {overview.Median:F1} ms  p95 {overview.P95:F1} ms  = {report.overviewVsTarget:F2} x the 500 ms target, {report.overviewVsLoadData:F1} x the data load");
            await output.WriteLineAsync($"GET / while results stream in   median {underStream.Median:F1} ms  p95 {underStream.P95:F1} ms  = {report.streamingVsIdle:F2} x idle ({streamedDuring} results stored and pushed meanwhile)");
            await output.WriteLineAsync($"memory per open dashboard       {perCircuitMb:F2} MB = {report.perCircuitVsTarget:F2} x the 5 MB target ({settings.Circuits} tabs; heap {report.heapBeforeMb:F0} -> {report.heapAfterMb:F0} MB)");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath))!);
            await File.WriteAllTextAsync(settings.OutputPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal sealed record Timing(double Median, double P95, double Min);

    private static async Task<Timing> TimeAsync<T>(int count, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3; i++)
        {
            await action(); // warm-up
        }

        var samples = new List<double>();
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            await action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return new Timing(samples[samples.Count / 2], samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(samples.Count * 0.95) - 1)], samples[0]);
    }

    private static async Task SeedAsync(IServiceProvider services, DashboardBenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<MonitoredDomainCatalog>();
        for (var i = 0; i < settings.Domains; i++)
        {
            await catalog.AddAsync(new MonitoredDomain { Name = Name(i), DkimSelectors = ["s1"], SendingIps = ["192.0.2.1"] }, "benchmark", cancellationToken);
        }

        for (var round = 0; round < settings.Rounds; round++)
        {
            await Parallel.ForAsync(0, settings.Domains, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) => await SaveAsync(services, i, round, ct));
        }
    }

    /// <summary>Stores one audit of domain <paramref name="i"/> as the audit cycle does (save, then publish).</summary>
    private static async Task SaveAsync(IServiceProvider services, int i, int round, CancellationToken cancellationToken)
    {
        var results = Checks.Select((check, k) =>
        {
            var n = (i * 7) + (k * 3) + round;
            var findings = (n % 11) switch
            {
                0 => new[] { Finding.Error($"{check}.broken", $"The {check} record of {Name(i)} is broken.", "Publish a valid record.") },
                1 or 2 => [Finding.Warning($"{check}.weak", $"The {check} setting of {Name(i)} is weak.", "Strengthen it.")],
                _ => [Finding.Info($"{check}.ok", "Fine.")],
            };
            return CheckResult.From(check, findings, [$"v={check}1 sample record for {Name(i)}"]);
        }).ToArray();
        var status = results.Any(r => r.Status == CheckStatus.Error) ? CheckStatus.Error : results.Any(r => r.Status == CheckStatus.Warning) ? CheckStatus.Warning : CheckStatus.Ok;
        var report = new DomainAuditReport(Name(i), DateTimeOffset.UtcNow, status, results);
        var transitions = await services.GetRequiredService<AuditResultStore>().SaveAsync(report, cancellationToken);
        services.GetRequiredService<LiveFeed<DomainAuditCompleted>>().Publish(new DomainAuditCompleted(report.Domain, report.Status, report.CheckedAt, transitions.Count));
    }

    private static string Name(int i) => $"d{i:00000}.bench.test";

    private static async Task<string> SignInCookieAsync(string baseUrl, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await client.GetStringAsync("/signin", cancellationToken);
        var token = Antiforgery().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "admin",
            ["Input.Password"] = DashboardHost.AdminPassword,
        }), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
        }

        return cookies.GetCookies(new Uri(baseUrl))["monitor.auth"]?.Value ?? throw new InvalidOperationException("no sign-in cookie");
    }

    private static async Task WaitForCircuitsAsync(CircuitCounter counter, int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (counter.Open < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{counter.Open} of {expected} dashboards connected");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    [GeneratedRegex(@"data-counter=""[a-z]+""[^>]*><span class=""status-pill [^""]*"">(\d+)</span>")]
    private static partial Regex DomainCounter();

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex Antiforgery();
}
