using System.CommandLine;
using System.Runtime.InteropServices;
using Deliverability.Benchmarks;

const int UsageError = 2;
const int Interrupted = 130;
var defaults = new BenchmarkSettings();

var domains = new Option<int>("--domains") { Description = $"Generated domains to serve and audit (1-{Deliverability.Benchmarks.Zones.BenchmarkDomain.MaxCount})", DefaultValueFactory = _ => defaults.Domains };
var concurrency = new Option<int>("--concurrency") { Description = "Audits in flight at once (also the baseline's concurrent queries)", DefaultValueFactory = _ => defaults.Concurrency };
var baselineSeconds = new Option<double>("--seconds-baseline") { Description = "Duration of each DNS baseline blast (one before, one after the audits)", DefaultValueFactory = _ => defaults.BaselineSeconds };
var baselineMaxQueries = new Option<long>("--baseline-max-queries") { Description = "Upper bound on the queries of one baseline blast", DefaultValueFactory = _ => defaults.BaselineMaxQueries };
var dnsCache = new Option<string>("--dns-cache") { Description = "Resolver cache during the audits: off (the production default), on, or both (two passes)", DefaultValueFactory = _ => "off" };
dnsCache.AcceptOnlyFromAmong("on", "off", "both");
var synthetic = new Option<bool>("--synthetic-checks") { Description = "HARNESS TEST: audit with benchmark-local checks that ask the same DNS questions, not the product's checks" };
var output = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => defaults.OutputPath };
var esps = new Option<int>("--esps") { Description = "Shared ESP include domains", DefaultValueFactory = _ => defaults.EspCount };
var dnsTimeout = new Option<double>("--dns-timeout") { Description = "Resolver timeout per attempt, seconds (production default)", DefaultValueFactory = _ => defaults.DnsTimeoutSeconds };
var dnsRetries = new Option<int>("--dns-retries") { Description = "Resolver retries after a timeout (production default)", DefaultValueFactory = _ => defaults.DnsRetries };
var maxAuditSeconds = new Option<double>("--max-audit-seconds") { Description = "An audit pass still running after this is stopped and the run fails", DefaultValueFactory = _ => defaults.MaxAuditSeconds };
var maxFailedPercent = new Option<double>("--max-failed-percent") { Description = "Share of audits ending Error/Unknown (or of queries failing) above which the run is invalid", DefaultValueFactory = _ => defaults.MaxFailedPercent };
var nsdServers = new Option<int>("--nsd-servers") { Description = "NSD server processes (server-count)", DefaultValueFactory = _ => defaults.NsdServerCount };

var root = new RootCommand("Audit-throughput benchmark: serves generated domains from NSD on 127.0.0.1 and audits them all.");
foreach (var option in new Option[] { domains, concurrency, baselineSeconds, baselineMaxQueries, dnsCache, synthetic, output, esps, dnsTimeout, dnsRetries, maxAuditSeconds, maxFailedPercent, nsdServers })
{
    root.Options.Add(option);
}

root.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new BenchmarkSettings
    {
        Domains = result.GetValue(domains),
        Concurrency = result.GetValue(concurrency),
        BaselineSeconds = result.GetValue(baselineSeconds),
        BaselineMaxQueries = result.GetValue(baselineMaxQueries),
        CacheModes = result.GetValue(dnsCache) switch
        {
            "off" => [false],
            "both" => [false, true], // cache off first: what the cache keeps alive cannot inflate the other pass's memory
            _ => [true],
        },
        SyntheticChecks = result.GetValue(synthetic),
        OutputPath = result.GetValue(output)!,
        EspCount = result.GetValue(esps),
        DnsTimeoutSeconds = result.GetValue(dnsTimeout),
        DnsRetries = result.GetValue(dnsRetries),
        MaxAuditSeconds = result.GetValue(maxAuditSeconds),
        MaxFailedPercent = result.GetValue(maxFailedPercent),
        NsdServerCount = result.GetValue(nsdServers),
    };
    return await RunCheckedAsync(settings.Validate(), () => AuditThroughputBenchmark.RunAsync(settings, Console.Out, cancellationToken), cancellationToken);
});

// The blacklist benchmark: BlacklistChecker over generated IP block lists (the audit benchmark above stays the default).
var ips = new Option<int>("--ips") { Description = "Generated IPs (198.18.0.0/15) checked against every zone", DefaultValueFactory = _ => 1000 };
var zoneCount = new Option<int>("--zones") { Description = "Generated IP block lists bl0.test ... served by NSD", DefaultValueFactory = _ => 10 };
var listedPercent = new Option<int>("--listed-percent") { Description = "Share of the IPs each zone lists", DefaultValueFactory = _ => 10 };
var passes = new Option<int>("--passes") { Description = "Measured checker passes over every (IP, zone) pair (after one warm-up pass)", DefaultValueFactory = _ => 5 };
var maxPassSeconds = new Option<double>("--max-pass-seconds") { Description = "A checker pass still running after this is stopped and the run fails", DefaultValueFactory = _ => 120 };
var blConcurrency = new Option<int>("--concurrency") { Description = "The checker's MaxConcurrency (also the baseline's concurrent queries)", DefaultValueFactory = _ => 64 };
var blBaselineSeconds = new Option<double>("--seconds-baseline") { Description = "Duration of each DNS baseline blast and of dnsperf", DefaultValueFactory = _ => 5 };
var blOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/blacklists.json" };
var blacklists = new Command("blacklists", "Blacklist benchmark: BlacklistChecker over generated IP block lists served by NSD on 127.0.0.1.");
foreach (var option in new Option[] { ips, zoneCount, listedPercent, passes, maxPassSeconds, blConcurrency, blBaselineSeconds, blOutput, dnsTimeout, dnsRetries, nsdServers })
{
    blacklists.Options.Add(option);
}

blacklists.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new Deliverability.Benchmarks.Blacklists.BlacklistBenchmarkSettings
    {
        Ips = result.GetValue(ips),
        Zones = result.GetValue(zoneCount),
        ListedPercent = result.GetValue(listedPercent),
        Passes = result.GetValue(passes),
        MaxPassSeconds = result.GetValue(maxPassSeconds),
        Common = new BenchmarkSettings
        {
            Concurrency = result.GetValue(blConcurrency),
            BaselineSeconds = result.GetValue(blBaselineSeconds),
            OutputPath = result.GetValue(blOutput)!,
            DnsTimeoutSeconds = result.GetValue(dnsTimeout),
            DnsRetries = result.GetValue(dnsRetries),
            NsdServerCount = result.GetValue(nsdServers),
        },
    };
    return await RunCheckedAsync(settings.Validate(), () => Deliverability.Benchmarks.Blacklists.BlacklistBenchmark.RunAsync(settings, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(blacklists);

var alDomains = new Option<int>("--domains") { Description = "Domains whose latest results (spf, dkim, dmarc, mx) the engine evaluates", DefaultValueFactory = _ => 10_000 };
var alCycles = new Option<int>("--cycles") { Description = "Measured cycles of each kind (and baseline reads)", DefaultValueFactory = _ => 20 };
var alBurst = new Option<int>("--burst") { Description = "Domains whose SPF breaks in one cycle", DefaultValueFactory = _ => 1000 };
var alBad = new Option<double>("--bad-percent") { Description = "Share of domains with a DKIM error in the steady state (alerts carried every cycle)", DefaultValueFactory = _ => 1 };
var alOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/alerts.json" };
var alerts = new Command("alerts", "Alert benchmark: one evaluation cycle over the latest results of many domains, and a burst of state changes counted in notifications.");
foreach (var option in new Option[] { alDomains, alCycles, alBurst, alBad, alOutput })
{
    alerts.Options.Add(option);
}

alerts.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new Deliverability.Benchmarks.Alerts.AlertsBenchmarkSettings
    {
        Domains = result.GetValue(alDomains),
        Cycles = result.GetValue(alCycles),
        Burst = result.GetValue(alBurst),
        BadPercent = result.GetValue(alBad),
        OutputPath = result.GetValue(alOutput)!,
    };
    return await RunCheckedAsync(settings.Validate(), () => Deliverability.Benchmarks.Alerts.AlertsBenchmark.RunAsync(settings, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(alerts);
// The dashboard benchmark: the dashboard over 1,000 domains (render time, memory per open dashboard).
var dashboard = new Command("dashboard", "Dashboard benchmark: overview render time with 1,000 domains, and memory per open dashboard in Chromium.");
var dashDomains = new Option<int>("--domains") { Description = "Domains in the store", DefaultValueFactory = _ => 1000 };
var dashCircuits = new Option<int>("--circuits") { Description = "Dashboards opened in Chromium for the memory measurement", DefaultValueFactory = _ => 20 };
var dashOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/dashboard.json" };
dashboard.Options.Add(dashDomains);
dashboard.Options.Add(dashCircuits);
dashboard.Options.Add(dashOutput);
dashboard.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
    await Deliverability.Benchmarks.Dashboard.DashboardBenchmark.RunAsync(
        new Deliverability.Benchmarks.Dashboard.DashboardBenchmarkSettings { Domains = result.GetValue(dashDomains), Circuits = result.GetValue(dashCircuits), OutputPath = result.GetValue(dashOutput)! },
        Console.Out,
        cancellationToken));
root.Subcommands.Add(dashboard);

// The real CLI over the benchmark's domains, against the same audits in process in the same run.
var cliPath = new Option<string[]>("--cli")
{
    Description = "The built CLI: a monitor.dll (run with dotnet) or an executable such as a self-contained publish's monitor (bench.sh publishes it to artifacts/cli); repeat it to compare several builds in one run, each between two in-process passes",
    AllowMultipleArgumentsPerToken = false,
    DefaultValueFactory = _ => [Path.Combine("src", "Deliverability.Cli", "bin", "Release", "net10.0", "monitor.dll")],
};
var cliOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/audit-cli.json" };
var auditCli = new Command("audit-cli", "Bulk audits through the real CLI (monitor audit --file) on the benchmark's domains, rated against the same audits in process.");
foreach (var option in new Option[] { domains, concurrency, baselineSeconds, cliPath, cliOutput, dnsTimeout, dnsRetries, nsdServers })
{
    auditCli.Options.Add(option);
}

auditCli.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new BenchmarkSettings
    {
        Domains = result.GetValue(domains),
        Concurrency = result.GetValue(concurrency),
        BaselineSeconds = result.GetValue(baselineSeconds),
        OutputPath = result.GetValue(cliOutput)!,
        DnsTimeoutSeconds = result.GetValue(dnsTimeout),
        DnsRetries = result.GetValue(dnsRetries),
        NsdServerCount = result.GetValue(nsdServers),
    };
    return await RunCheckedAsync(settings.Validate(), () => AuditCliBenchmark.RunAsync(settings, [.. result.GetValue(cliPath)!.Select(Path.GetFullPath)], Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(auditCli);

// The load-engine benchmark: can the generator hold 5,000 invocations/s in the open model, and at what cost?
var loadRate = new Option<double>("--rate") { Description = "Target arrivals per second", DefaultValueFactory = _ => Deliverability.Benchmarks.LoadEngine.LoadEngineBenchmarkSettings.TargetRate };
var loadSeconds = new Option<double>("--seconds") { Description = "Measured seconds (after one second of warm-up)", DefaultValueFactory = _ => 10 };
var loadWorkers = new Option<int>("--workers") { Description = "The open model's worker pool", DefaultValueFactory = _ => 100 };
var loadOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/load-engine.json" };
var loadEngine = new Command("load-engine", "Load-engine benchmark: an in-process scenario at 5,000 arrivals/s, against the target and a naive sleep-paced generator.");
foreach (var option in new Option[] { loadRate, loadSeconds, loadWorkers, loadOutput })
{
    loadEngine.Options.Add(option);
}

loadEngine.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new Deliverability.Benchmarks.LoadEngine.LoadEngineBenchmarkSettings
    {
        Rate = result.GetValue(loadRate),
        Seconds = result.GetValue(loadSeconds),
        Workers = result.GetValue(loadWorkers),
        OutputPath = result.GetValue(loadOutput)!,
    };
    return await RunCheckedAsync(settings.Validate(), () => Deliverability.Benchmarks.LoadEngine.LoadEngineBenchmark.RunAsync(settings, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(loadEngine);

var dmarcReports = new Option<int>("--reports") { Description = "Report e-mails put into the Dovecot mailbox (1-100000)", DefaultValueFactory = _ => 10_000 };
var dmarcOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/dmarc-mailbox.json" };
var dmarcMailbox = new Command("dmarc-mailbox", "DMARC mailbox benchmark: N report e-mails imported from a private Dovecot mailbox (fetch, import, record, move), against fetching the same N without importing.");
dmarcMailbox.Options.Add(dmarcReports);
dmarcMailbox.Options.Add(dmarcOutput);
dmarcMailbox.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var count = result.GetValue(dmarcReports);
    if (count is < 1 or > 100_000)
    {
        await Console.Error.WriteLineAsync("--reports must be 1 to 100000");
        return UsageError;
    }

    var path = Path.GetFullPath(result.GetValue(dmarcOutput)!);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    return await Deliverability.Benchmarks.DmarcReports.MailboxIngestBenchmark.RunAsync(count, path, cancellationToken);
});
root.Subcommands.Add(dmarcMailbox);

// The forecast benchmark: one fit on a year of hourly orders (target under 10 s), a whole forecast, the protocol backtests.
var forecastHistory = new Option<string>("--history") { Description = "The hourly history", DefaultValueFactory = _ => Deliverability.Benchmarks.Forecasts.ForecastBenchmark.DefaultHistory };
var forecastRepeats = new Option<int>("--repeats") { Description = "Measured fits of each kind (the median is reported), 1-20", DefaultValueFactory = _ => 5 };
var forecastOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/forecast.json" };
var forecast = new Command("forecast", "Forecast benchmark: LightGBM fit time on a year of hourly data, a whole forecast, and the backtest scores on the online retailer's orders.");
foreach (var option in new Option[] { forecastHistory, forecastRepeats, forecastOutput })
{
    forecast.Options.Add(option);
}

forecast.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var repeats = result.GetValue(forecastRepeats);
    var problems = repeats is < 1 or > 20 ? new[] { "--repeats must be 1 to 20" } : [];
    return await RunCheckedAsync(problems, () => Deliverability.Benchmarks.Forecasts.ForecastBenchmark.RunAsync(result.GetValue(forecastHistory)!, repeats, result.GetValue(forecastOutput)!, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(forecast);

var hookBatches = new Option<int>("--batches") { Description = "SendGrid posts of 1,000 events a round (and in the restart round)", DefaultValueFactory = _ => 200 };
var hookSeconds = new Option<double>("--singles-seconds") { Description = "Seconds of single Mailgun posts a round (and of their baseline)", DefaultValueFactory = _ => 10 };
var hookConcurrency = new Option<int>("--concurrency") { Description = "Batched posts in flight (single posts: twice as many)", DefaultValueFactory = _ => 8 };
var hookRounds = new Option<int>("--rounds") { Description = "Alternating rounds of baseline and hooks before the restart round (medians reported)", DefaultValueFactory = _ => 2 };
var hookOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/hooks.json" };
var hooks = new Command("hooks", "Webhook ingest benchmark: SendGrid batches and single Mailgun events stored, against a body-reading baseline, across a killed and restarted service.");
foreach (var option in new Option[] { hookBatches, hookSeconds, hookConcurrency, hookRounds, hookOutput })
{
    hooks.Options.Add(option);
}

hooks.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new Deliverability.Benchmarks.Hooks.HooksSettings(result.GetValue(hookBatches), result.GetValue(hookSeconds), result.GetValue(hookConcurrency), result.GetValue(hookRounds));
    List<string> problems = [];
    if (settings.Batches is < 2 or > 10_000)
    {
        problems.Add("--batches must be 2 to 10000");
    }

    if (settings.SinglesSeconds is < 1 or > 300)
    {
        problems.Add("--singles-seconds must be 1 to 300");
    }

    if (settings.Concurrency is < 1 or > 256)
    {
        problems.Add("--concurrency must be 1 to 256");
    }

    if (settings.Rounds is < 1 or > 10)
    {
        problems.Add("--rounds must be 1 to 10");
    }

    return await RunCheckedAsync(problems, () => Deliverability.Benchmarks.Hooks.HooksBenchmark.RunAsync(settings, result.GetValue(hookOutput)!, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(hooks);

// The service process the hooks benchmark starts, kills and starts again (not for direct use).
var hookFolder = new Option<string>("--folder") { Required = true };
var hookKey = new Option<string>("--sendgrid-key") { Required = true };
var hooksServer = new Command("hooks-server", "The service as the hooks benchmark runs it, until its standard input closes.") { Hidden = true };
hooksServer.Options.Add(hookFolder);
hooksServer.Options.Add(hookKey);
hooksServer.SetAction(async (ParseResult result, CancellationToken _) =>
    await Deliverability.Benchmarks.Hooks.HooksBenchmark.ServeAsync(result.GetValue(hookFolder)!, result.GetValue(hookKey)!, Console.Out));
root.Subcommands.Add(hooksServer);
// The sending rollups: a day of a peak read from the rollups against the same figures from the raw events, same run.
var sendingEvents = new Option<int>("--events") { Description = "Send events of the day (100,000-10,000,000)", DefaultValueFactory = _ => 1_000_000 };
var sendingRepeats = new Option<int>("--repeats") { Description = "Measured runs of each query (the median is reported), 1-50", DefaultValueFactory = _ => 7 };
var sendingOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/sending-rollups.json" };
var sendingRollups = new Command("sending-rollups", "Sending rollups benchmark: a day of send events read from the per-minute rollups vs from the raw events.");
foreach (var option in new Option[] { sendingEvents, sendingRepeats, sendingOutput })
{
    sendingRollups.Options.Add(option);
}

sendingRollups.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var count = result.GetValue(sendingEvents);
    var repeats = result.GetValue(sendingRepeats);
    List<string> problems = [];
    if (count is < 100_000 or > 10_000_000)
    {
        problems.Add("--events: 100000 to 10000000");
    }

    if (repeats is < 1 or > 50)
    {
        problems.Add("--repeats: 1 to 50");
    }

    return await RunCheckedAsync(problems, () => Deliverability.Benchmarks.Sending.SendingRollupBenchmark.RunAsync(count, repeats, result.GetValue(sendingOutput)!, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(sendingRollups);

// The DMARC report benchmark: the parser's MB/s as a ratio to a bare XmlReader on the same bytes, and the peak memory of importing a 500 MB report.
var dmarcParseMb = new Option<int>("--parse-mb") { Description = "Size of the generated report the parse rates are measured on, MB (1-2000)", DefaultValueFactory = _ => 100 };
var dmarcImportMb = new Option<int>("--import-mb") { Description = "Size of the generated report imported into SQLite for the peak memory, MB (1-2000)", DefaultValueFactory = _ => 500 };
var dmarcRounds = new Option<int>("--rounds") { Description = "Measured rounds of bare XmlReader then the parser (the median is reported), 1-20", DefaultValueFactory = _ => 3 };
var dmarcParseOutput = new Option<string>("--out") { Description = "Where to write the results as JSON", DefaultValueFactory = _ => "artifacts/bench/dmarc-parse.json" };
var dmarcParse = new Command("dmarc-parse", "DMARC aggregate parser: MB/s against a bare XmlReader on the same generated report, and peak memory importing a generated 500 MB report.");
foreach (var option in new Option[] { dmarcParseMb, dmarcImportMb, dmarcRounds, dmarcParseOutput })
{
    dmarcParse.Options.Add(option);
}

dmarcParse.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var (parseMb, importMb, rounds) = (result.GetValue(dmarcParseMb), result.GetValue(dmarcImportMb), result.GetValue(dmarcRounds));
    var problems = new List<string>();
    if (parseMb is < 1 or > 2000 || importMb is < 1 or > 2000)
    {
        problems.Add("--parse-mb and --import-mb must be 1 to 2000");
    }

    if (rounds is < 1 or > 20)
    {
        problems.Add("--rounds must be 1 to 20");
    }

    return await RunCheckedAsync(problems, () => Deliverability.Benchmarks.DmarcReports.DmarcParseBenchmark.RunAsync(parseMb, importMb, rounds, result.GetValue(dmarcParseOutput)!, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(dmarcParse);

// The cluster benchmark: two service processes on one PostgreSQL auditing on a schedule, one killed -9 mid-interval.
var clusterDefaults = new Deliverability.Benchmarks.Cluster.ClusterBenchmarkSettings();
var clDomains = new Option<int>("--domains") { Description = "Generated domains served by NSD and monitored by both nodes", DefaultValueFactory = _ => clusterDefaults.Domains };
var clInterval = new Option<TimeSpan>("--interval") { Description = "The audit schedule (a cron on the clock): 10-30 s dividing a minute, or 1-60 min dividing an hour", DefaultValueFactory = _ => clusterDefaults.Interval };
var clIntervals = new Option<int>("--intervals") { Description = "Measured intervals (2-30)", DefaultValueFactory = _ => clusterDefaults.Intervals };
var clKill = new Option<int>("--kill-interval") { Description = "The measured interval in which the node running the audit is killed -9 (0: the middle one)", DefaultValueFactory = _ => 0 };
var clConcurrency = new Option<int>("--audit-concurrency") { Description = "Monitor:Audit:MaxConcurrency of the nodes", DefaultValueFactory = _ => clusterDefaults.AuditConcurrency };
var clCheckin = new Option<TimeSpan>("--checkin-interval") { Description = "Cluster:CheckinInterval of the nodes", DefaultValueFactory = _ => clusterDefaults.CheckinInterval };
var clThreshold = new Option<TimeSpan>("--checkin-misfire-threshold") { Description = "Cluster:CheckinMisfireThreshold of the nodes", DefaultValueFactory = _ => clusterDefaults.CheckinMisfireThreshold };
var clConfigured = new Option<bool>("--configured-domains") { Description = "Put the domains in the nodes' Monitor:Domains instead of storing them as added from the dashboard" };
var clOutput = new Option<string>("--out") { Description = "Where to write the results as JSON (the nodes' logs go beside it)", DefaultValueFactory = _ => clusterDefaults.OutputPath };
var cluster = new Command("cluster", "Cluster benchmark: two nodes on one PostgreSQL audit generated domains every interval; each domain once per interval, misfires, database load, fail-over after a kill -9.");
foreach (var option in new Option[] { clDomains, clInterval, clIntervals, clKill, clConcurrency, clCheckin, clThreshold, clConfigured, clOutput })
{
    cluster.Options.Add(option);
}

cluster.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
{
    var settings = new Deliverability.Benchmarks.Cluster.ClusterBenchmarkSettings
    {
        Domains = result.GetValue(clDomains),
        Interval = result.GetValue(clInterval),
        Intervals = result.GetValue(clIntervals),
        KillInterval = result.GetValue(clKill),
        AuditConcurrency = result.GetValue(clConcurrency),
        CheckinInterval = result.GetValue(clCheckin),
        CheckinMisfireThreshold = result.GetValue(clThreshold),
        ConfiguredDomains = result.GetValue(clConfigured),
        OutputPath = result.GetValue(clOutput)!,
    };
    return await RunCheckedAsync(settings.Validate(), () => Deliverability.Benchmarks.Cluster.ClusterBenchmark.RunAsync(settings, Console.Out, cancellationToken), cancellationToken);
});
root.Subcommands.Add(cluster);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    return UsageError;
}

// Ctrl+C and SIGTERM cancel the run so that it unwinds (NSD stopped, temp files removed); a second one ends it at once.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);

void Stop(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping ...");
        stop.Cancel();
    }
}

// Each benchmark: bad settings are refused with exit 2 before anything starts; Ctrl+C ends it with no results.
static async Task<int> RunCheckedAsync(IReadOnlyCollection<string> problems, Func<Task<int>> run, CancellationToken cancellationToken)
{
    if (problems.Count > 0)
    {
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
        }

        return UsageError;
    }

    try
    {
        return await run();
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("Stopped before the end: no results.");
        return Interrupted;
    }
}
