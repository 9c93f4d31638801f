using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Server.Alerts;
using Deliverability.Server.Domains;

namespace Deliverability.Benchmarks.Dashboard;

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
/// The dashboard with N domains and 200 active alerts in the store: server render time of the overview page (target
/// 500 ms) against reading its data from the store in the same run (samples interleaved, so both see the same machine),
/// the same while audit results stream in (and alerts resolve and fire), and the server memory each open dashboard holds.
/// </summary>
internal static partial class DashboardBenchmark
{
    private const double TargetMilliseconds = 500;
    private const double TargetMegabytesPerCircuit = 5;
    private static readonly string[] Checks = ["spf", "dkim", "dmarc", "mx", "rdns", "mta-sts", "tls-rpt", "bimi", "bulk-sender"];

    /// <summary>The first six checks alert; in each round exactly one domain in five has one of them bad (see <see cref="Status"/>).</summary>
    private const int AlertingChecks = 6;

    /// <summary>Checks that do not alert (<c>ExcludeChecks</c>): their statuses vary freely, so strips and counters fill.</summary>
    internal static readonly string[] QuietChecks = Checks[AlertingChecks..];

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

            var alerts = host.Services.GetRequiredService<AlertStore>();
            // One bad alerting check in one domain in five: 200 alerts with 1,000 domains, made by the real engine.
            var expectedAlerts = Enumerable.Range(0, settings.Domains).Sum(i => Enumerable.Range(0, AlertingChecks).Count(k => Status(i, k, settings.Rounds - 1) != CheckStatus.Ok));
            var active = await WaitForActiveAlertsAsync(alerts, expectedAlerts, cancellationToken);
            await output.WriteLineAsync($"{active} active alerts (made by the alert engine)");

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

            if (!page.Contains($"All {active} alerts", StringComparison.Ordinal))
            {
                await output.WriteLineAsync($"error: the overview does not show {active} active alerts");
                return 1;
            }

            // Baseline: reading the overview's data (every tile) from the store, as each render did before the shared snapshot.
            var idle = await TimeInterleavedAsync(
                settings.Renders,
                cancellationToken,
                () => board.ReadAllTilesAsync(cancellationToken),
                () => api.GetStringAsync("/api/domains", cancellationToken),
                () => api.GetStringAsync("/", cancellationToken));
            var (loadData, apiList, overview) = (idle[0], idle[1], idle[2]);
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

            // Results streaming in: every domain re-audited in a loop (stored and published) while the tabs are open; the
            // alert engine resolves and fires alerts as the bad checks move (counted from its live feed).
            var alertChanges = 0L;
            using var alertFeed = host.Services.GetRequiredService<LiveFeed<AlertChanged>>().Observe(_ => Interlocked.Increment(ref alertChanges));
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
            var changesBefore = alertChanges;
            var stopwatch = Stopwatch.StartNew();
            // Probes of where a render's time goes: the HTTP pipeline alone, and the two shared reads a render makes.
            var activeAlertsBoard = host.Services.GetRequiredService<ActiveAlertsBoard>();
            var underStream = await TimeInterleavedAsync(
                settings.Renders,
                cancellationToken,
                () => board.ReadAllTilesAsync(cancellationToken),
                () => api.GetStringAsync("/", cancellationToken),
                () => api.GetStringAsync("/health", cancellationToken),
                () => board.GetTilesAsync(cancellationToken),
                () => activeAlertsBoard.GetAsync(cancellationToken));
            var (loadDataStreaming, overviewStreaming, healthStreaming, tilesStreaming, alertsStreaming) = (underStream[0], underStream[1], underStream[2], underStream[3], underStream[4]);
            var streamedDuring = Volatile.Read(ref streamed) - streamedBefore;
            var alertChangesDuring = alertChanges - changesBefore;
            var streamSeconds = stopwatch.Elapsed.TotalSeconds;
            await streaming.CancelAsync();
            await stream;
            var activeAfter = await alerts.CountAsync(new AlertFilter(), cancellationToken);

            var report = new
            {
                domains = settings.Domains,
                activeAlerts = active,
                activeAlertsAfterStreaming = activeAfter,
                overviewHtmlBytes = page.Length,
                loadDataMs = loadData,
                apiListMs = apiList,
                overviewRenderMs = overview,
                overviewVsTarget = overview.Median / TargetMilliseconds,
                overviewVsLoadData = overview.Median / loadData.Median,
                loadDataWhileStreamingMs = loadDataStreaming,
                overviewWhileStreamingMs = overviewStreaming,
                healthWhileStreamingMs = healthStreaming,
                sharedTilesWhileStreamingMs = tilesStreaming,
                sharedActiveAlertsWhileStreamingMs = alertsStreaming,
                overviewWhileStreamingVsTarget = overviewStreaming.Median / TargetMilliseconds,
                overviewWhileStreamingVsLoadData = overviewStreaming.Median / loadDataStreaming.Median,
                streamingVsIdle = overviewStreaming.Median / overview.Median,
                resultsStreamedDuringMeasurement = streamedDuring,
                resultsPerSecondDuringMeasurement = streamedDuring / streamSeconds,
                alertChangesDuringMeasurement = alertChangesDuring,
                circuits = settings.Circuits,
                heapBeforeMb = before / (1024.0 * 1024),
                heapAfterMb = after / (1024.0 * 1024),
                megabytesPerCircuit = perCircuitMb,
                perCircuitVsTarget = perCircuitMb / TargetMegabytesPerCircuit,
            };

            await output.WriteLineAsync($"domains                         {settings.Domains} ({page.Length / 1024} KB of overview HTML), {active} active alerts ({activeAfter} after streaming)");
            await output.WriteLineAsync($"read all tiles (baseline)       median {loadData.Median:F1} ms  p95 {loadData.P95:F1} ms");
            await output.WriteLineAsync($"GET /api/domains                median {apiList.Median:F1} ms  p95 {apiList.P95:F1} ms");
            await output.WriteLineAsync($"GET / (overview, server render) median {overview.Median:F1} ms  p95 {overview.P95:F1} ms  = {report.overviewVsTarget:F2} x the 500 ms target, {report.overviewVsLoadData:F2} x the baseline");
            await output.WriteLineAsync($"while results stream in ({report.resultsPerSecondDuringMeasurement:F0} results/s stored and pushed, {alertChangesDuring} alert changes):");
            await output.WriteLineAsync($"  read all tiles (baseline)     median {loadDataStreaming.Median:F1} ms  p95 {loadDataStreaming.P95:F1} ms");
            await output.WriteLineAsync($"  GET / (overview)              median {overviewStreaming.Median:F1} ms  p95 {overviewStreaming.P95:F1} ms  = {report.overviewWhileStreamingVsTarget:F2} x the target, {report.overviewWhileStreamingVsLoadData:F2} x the baseline, {report.streamingVsIdle:F2} x idle");
            await output.WriteLineAsync($"  probes: GET /health median {healthStreaming.Median:F1} ms; shared tiles (DomainBoard.GetTilesAsync) median {tilesStreaming.Median:F1} ms p95 {tilesStreaming.P95:F1} ms; shared active alerts median {alertsStreaming.Median:F1} ms p95 {alertsStreaming.P95:F1} ms");
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

    /// <summary>Times each action <paramref name="count"/> times, taking turns (a, b, c, a, b, c ...), after 3 warm-up turns.</summary>
    private static async Task<Timing[]> TimeInterleavedAsync(int count, CancellationToken cancellationToken, params Func<Task>[] actions)
    {
        for (var i = 0; i < 3; i++)
        {
            foreach (var action in actions)
            {
                await action(); // warm-up
            }
        }

        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < count; i++)
        {
            for (var a = 0; a < actions.Length; a++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                await actions[a]();
                samples[a].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return samples.Select(Summarize).ToArray();
    }

    private static Timing Summarize(List<double> samples)
    {
        samples.Sort();
        return new Timing(samples[samples.Count / 2], samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(samples.Count * 0.95) - 1)], samples[0]);
    }

    /// <summary>Waits until the alert engine (every 5 s in this host) has made exactly the alerts the seed's bad checks call for.</summary>
    private static async Task<int> WaitForActiveAlertsAsync(AlertStore alerts, int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var active = await alerts.CountAsync(new AlertFilter(), cancellationToken);
            if (active == expected)
            {
                return active;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{active} active alerts after 3 minutes, expected {expected}");
            }

            await Task.Delay(500, cancellationToken);
        }
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
            var status = Status(i, k, round);
            var findings = status switch
            {
                CheckStatus.Error => new[] { Finding.Error($"{check}.broken", $"The {check} record of {Name(i)} is broken.", "Publish a valid record.") },
                CheckStatus.Warning => [Finding.Warning($"{check}.weak", $"The {check} setting of {Name(i)} is weak.", "Strengthen it.")],
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

    /// <summary>
    /// The status of check <paramref name="k"/> of domain <paramref name="i"/> in audit round <paramref name="round"/>.
    /// Alerting checks: bad when (6i + k + round) is a multiple of 30, which picks exactly one of them in exactly one
    /// domain in five (200 of 1,000), error or warning; the next round moves it, so each re-audit resolves one alert and
    /// fires another. Quiet checks vary as before (about 1 in 11 errors, 2 in 11 warnings).
    /// </summary>
    private static CheckStatus Status(int i, int k, int round)
    {
        if (k < AlertingChecks)
        {
            return ((6 * i) + k + round) % (5 * AlertingChecks) != 0 ? CheckStatus.Ok : i % 2 == 0 ? CheckStatus.Error : CheckStatus.Warning;
        }

        return (((i * 7) + (k * 3) + round) % 11) switch
        {
            0 => CheckStatus.Error,
            1 or 2 => CheckStatus.Warning,
            _ => CheckStatus.Ok,
        };
    }

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
