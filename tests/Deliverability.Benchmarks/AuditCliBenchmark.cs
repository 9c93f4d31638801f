using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Audits;

namespace Deliverability.Benchmarks;

/// <summary>
/// The real CLI on the benchmark's domains: <c>monitor audit --file domains.txt --selector s1 --json</c> against NSD,
/// timed from start to exit, next to the same audits in process (same requests, same resolver options as the CLI: cache
/// on, one retry) in the same run. Every NDJSON line is checked: one per domain, in input order, all Ok.
/// </summary>
public static class AuditCliBenchmark
{
    public const int InvalidRun = 1;
    private const int WarmUpDomains = 1500;

    /// <param name="cliPaths">One or more built CLIs (a monitor.dll, or an executable such as a self-contained publish's <c>monitor</c>), each run between two in-process passes.</param>
    public static async Task<int> RunAsync(BenchmarkSettings settings, IReadOnlyList<string> cliPaths, TextWriter output, CancellationToken cancellationToken)
    {
        if (cliPaths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            output.WriteLine($"The CLI is not built at {missing}: bench.sh audit-cli publishes it (see docs/cli.md), or dotnet build src/Deliverability.Cli -c Release");
            return InvalidRun;
        }

        var directory = Directory.CreateTempSubdirectory("monitor-bench-cli-");
        try
        {
            output.WriteLine($"Generating {settings.Domains:N0} domains in {directory.FullName} ...");
            var zones = BenchmarkZones.Generate(settings.Domains, settings.EspCount, settings.DkimKeyCount);
            var files = zones.WriteTo(directory.FullName);
            var domainsFile = Path.Combine(directory.FullName, "domains.txt");
            await File.WriteAllLinesAsync(domainsFile, zones.Domains.Select(d => d.Name), cancellationToken).ConfigureAwait(false);
            await using var server = await NsdServer.StartAsync(directory.FullName, files, settings.NsdServerCount, $"_dmarc.{zones.Domains[^1].Name}", cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{server.Version} answers on {server.Endpoint}");

            // What the CLI asks for each line: the domain with --selector s1 (a file line carries no sending IP).
            static DomainAuditRequest AsTheCliAsks(BenchmarkDomain domain) => new(domain.Name, [BenchmarkDomain.Selector], []);
            output.WriteLine("Warming up ...");
            await AuditThroughputBenchmark.WarmUpAsync(server, [.. zones.Domains.Take(WarmUpDomains)], DomainChecks.All(), settings, cache: true, cancellationToken, AsTheCliAsks).ConfigureAwait(false);
            output.WriteLine(Executables.Find("dnsperf") is null ? "dnsperf is not installed: no server ceiling" : $"Server ceiling with dnsperf, {settings.BaselineSeconds:F0} s ...");
            var ceiling = await DnsperfBlast.RunAsync(server, zones.Domains, directory.FullName, TimeSpan.FromSeconds(settings.BaselineSeconds), cancellationToken).ConfigureAwait(false);

            // In process, then each CLI followed by another in-process pass: every CLI is rated against the passes on
            // either side of it, which saw the same moment of a shared machine.
            output.WriteLine($"Auditing {settings.Domains:N0} domains in process ...");
            var passes = new List<AuditPassResult> { await AuditPass.RunAsync(server, zones.Domains, DomainChecks.All(), settings, cache: true, cancellationToken, AsTheCliAsks).ConfigureAwait(false) };
            var clis = new List<CliRun>();
            foreach (var cliPath in cliPaths)
            {
                output.WriteLine($"Auditing {settings.Domains:N0} domains with the CLI {cliPath} ...");
                clis.Add(await RunCliAsync(cliPath, domainsFile, zones.Domains, server, settings, cancellationToken).ConfigureAwait(false));
                output.WriteLine($"Auditing {settings.Domains:N0} domains in process again ...");
                passes.Add(await AuditPass.RunAsync(server, zones.Domains, DomainChecks.All(), settings, cache: true, cancellationToken, AsTheCliAsks).ConfigureAwait(false));
            }

            var report = AuditCliReport.Of(settings, clis, passes, ceiling);
            report.WriteTable(output);
            var path = Path.GetFullPath(settings.OutputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }) + "\n", cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Written to {path}");
            return report.Problems.Count == 0 ? 0 : InvalidRun;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<CliRun> RunCliAsync(string cliPath, string domainsFile, IReadOnlyList<BenchmarkDomain> domains, NsdServer server, BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        // Through sh, whose `times` (on stderr) gives the CPU the CLI used, as for dnsperf. Standard output goes to a file,
        // read and checked after the CLI exits: parsing 10,000 lines while it runs took CPU from it on the same 2 cores,
        // which the in-process passes never pay.
        var outputFile = Path.Combine(Path.GetDirectoryName(domainsFile)!, "cli-output.ndjson");
        // A monitor.dll runs under the shared framework (dotnet monitor.dll); anything else is run as it is: the apphost of a
        // self-contained or Native AOT publish, or a script that sets the runtime's environment first.
        string[] launch = cliPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", cliPath] : [cliPath];
        var info = new ProcessStartInfo("/bin/sh", ["-c", "out=$0; \"$@\" > \"$out\"; status=$?; times >&2; exit $status", outputFile, .. launch, "audit",
            "--file", domainsFile, "--selector", BenchmarkDomain.Selector, "--dns", server.Endpoint, "--json", "--concurrency", settings.Concurrency.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var meter = await PhaseMeter.StartAsync(server, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the CLI did not start");
        using var stop = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var peak = 0L;
        long firstLineTicks = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            // The CLI runs under sh: the tree's peak (sh adds about 1 MB), sampled until it exits, and when the first
            // line reached the file (to within the 50 ms of a sample: the CLI writes in 64 KB blocks).
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcessTree.PeakResidentBytes(process.Id));
                if (firstLineTicks == 0 && File.Exists(outputFile) && new FileInfo(outputFile).Length > 0)
                {
                    firstLineTicks = Stopwatch.GetTimestamp();
                }

                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }
        }, CancellationToken.None);

        await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var cost = await meter.StopAsync(cancellationToken).ConfigureAwait(false);
        var stderr = await errors.ConfigureAwait(false);

        long lines = 0;
        long outOfOrder = 0;
        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(outputFile))
        {
            using var json = JsonDocument.Parse(line);
            var domain = json.RootElement.GetProperty("domain").GetString();
            if (lines >= domains.Count || domain != domains[(int)lines].Name)
            {
                outOfOrder++;
            }

            var status = json.RootElement.GetProperty("status").GetString() ?? "";
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            lines++;
        }

        File.Delete(outputFile);
        return new CliRun(
            cliPath,
            process.ExitCode,
            seconds,
            firstLineTicks == 0 ? double.NaN : (firstLineTicks - started) / (double)Stopwatch.Frequency,
            lines,
            outOfOrder,
            statuses,
            ChildCpuSeconds(stderr),
            peak / MemorySummary.Megabyte,
            cost.ServerQueries,
            cost.ServerCpuSeconds,
            cost.OtherCores,
            stderr.Split('\n').FirstOrDefault(l => l.StartsWith("Audited ", StringComparison.Ordinal)) ?? stderr.Trim());
    }

    // The last line of `times`: user and system time of the shell's children, as "0m1.230000s 0m0.450000s".
    private static double ChildCpuSeconds(string stderr)
    {
        var fields = stderr.TrimEnd().Split('\n')[^1].Trim().Split(' ');
        return fields.Length == 2 && fields.All(f => f.Contains('m', StringComparison.Ordinal) && f.EndsWith('s'))
            ? fields.Sum(field =>
            {
                var parts = field.TrimEnd('s').Split('m');
                return (double.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + double.Parse(parts[1], CultureInfo.InvariantCulture);
            })
            : double.NaN;
    }
}

public sealed record CliRun(
    string Path, int ExitCode, double Seconds, double SecondsToFirstLine, long Lines, long OutOfOrder, IReadOnlyDictionary<string, long> Statuses,
    double CpuSeconds, double PeakResidentMegabytes, long? ServerQueries, double ServerCpuSeconds, double OtherCores, string Summary);

public sealed record InProcessRun(double AuditsPerSecond, double ClientCpuMillisecondsPerAudit, double AllocatedKilobytesPerAudit, double PeakResidentMegabytes, double ServerQueriesPerAudit, IReadOnlyDictionary<string, long> Statuses, IReadOnlyList<string> NotInfoFindings);

/// <summary>One CLI's run, rated against the in-process passes just before and just after it.</summary>
public sealed record CliResult(CliRun Run, double AuditsPerSecond, double RatioToInProcess, double CpuMillisecondsPerAudit);

public sealed record AuditCliReport(
    int Domains,
    int Concurrency,
    double? DnsperfQueriesPerSecond,
    IReadOnlyList<InProcessRun> InProcess,
    IReadOnlyList<CliResult> Clis,
    IReadOnlyList<string> Problems)
{
    /// <param name="passes">The in-process passes: one before the first CLI and one after each.</param>
    public static AuditCliReport Of(BenchmarkSettings settings, IReadOnlyList<CliRun> clis, IReadOnlyList<AuditPassResult> passes, BlastResult? ceiling)
    {
        var inProcess = passes.Select(p => new InProcessRun(
            p.AuditsPerSecond,
            p.Cost.ClientCpuSeconds * 1000 / Math.Max(1, p.Completed),
            p.Cost.AllocatedBytes / 1024.0 / Math.Max(1, p.Completed),
            p.Cost.ClientPeakBytes / MemorySummary.Megabyte,
            p.ServerQueriesPerAudit ?? double.NaN,
            p.AuditStatuses,
            p.TopFindings.Where(f => !f.Key.EndsWith("(Info)", StringComparison.Ordinal)).Select(f => $"{f.Key} x {f.Value:N0}").ToArray())).ToArray();
        var problems = new List<string>();
        if (passes.Any(p => p.FailedAudits > 0))
        {
            problems.Add($"audits in process ended Error or Unknown: {string.Join("; ", passes.Select(p => Pairs(p.AuditStatuses)))}");
        }

        // A file line carries no sending IP, so these audits end Warning (no IP to check SPF and reverse DNS with): the CLI
        // must find exactly what the same requests find in process, and exit with that status's code.
        var expected = passes[0].AuditStatuses.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value);
        var worst = expected.Keys.Select(k => k switch { "ok" => 0, "warning" => 1, _ => 2 }).DefaultIfEmpty(0).Max();
        var results = new List<CliResult>();
        for (var i = 0; i < clis.Count; i++)
        {
            var cli = clis[i];
            var name = clis.Count == 1 ? "the CLI" : $"CLI {i + 1}";
            if (cli.Lines != settings.Domains)
            {
                problems.Add($"{name} printed {cli.Lines:N0} lines for {settings.Domains:N0} domains ({cli.Summary})");
            }

            if (cli.OutOfOrder > 0)
            {
                problems.Add($"{name}: {cli.OutOfOrder:N0} lines out of input order");
            }

            if (!expected.OrderBy(p => p.Key).SequenceEqual(cli.Statuses.OrderBy(p => p.Key)))
            {
                problems.Add($"{name}'s statuses ({Pairs(cli.Statuses)}) differ from the same audits in process ({Pairs(expected)})");
            }

            if (cli.ExitCode != worst)
            {
                problems.Add($"{name} exited {cli.ExitCode}, expected {worst}");
            }

            var rate = cli.Lines / cli.Seconds;
            results.Add(new CliResult(cli, rate, rate / ((inProcess[i].AuditsPerSecond + inProcess[i + 1].AuditsPerSecond) / 2), cli.CpuSeconds * 1000 / Math.Max(1, cli.Lines)));
        }

        return new AuditCliReport(settings.Domains, settings.Concurrency, ceiling?.QueriesPerSecond, inProcess, results, problems);
    }

    private static string Pairs(IReadOnlyDictionary<string, long> pairs) => string.Join(", ", pairs.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}"));

    public void WriteTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Audit CLI benchmark: {Domains:N0} domains, concurrency {Concurrency}, monitor audit --file --selector s1 --json (resolver cache on, as the CLI)");
        output.WriteLine($"  {"run",-14} {"audits/s",9} {"CPU ms/audit",12} {"KB/audit",9} {"peak MB",8} {"q/audit",8}  statuses");
        for (var i = 0; i < InProcess.Count; i++)
        {
            var run = InProcess[i];
            output.WriteLine($"  {$"in process {i + 1}",-14} {run.AuditsPerSecond,9:N0} {run.ClientCpuMillisecondsPerAudit,12:F3} {run.AllocatedKilobytesPerAudit,9:N1} {run.PeakResidentMegabytes,8:F0} {run.ServerQueriesPerAudit,8:F2}  {string.Join(", ", run.Statuses.Select(s => $"{s.Key} {s.Value:N0}"))}");
            if (i < Clis.Count)
            {
                var cli = Clis[i];
                output.WriteLine($"  {$"CLI {i + 1}",-14} {cli.AuditsPerSecond,9:N0} {cli.CpuMillisecondsPerAudit,12:F3} {"n/a",9} {cli.Run.PeakResidentMegabytes,8:F0} {(cli.Run.ServerQueries ?? 0) / (double)Math.Max(1, cli.Run.Lines),8:F2}  {string.Join(", ", cli.Run.Statuses.Select(s => $"{s.Key} {s.Value:N0}"))}");
            }
        }

        for (var i = 0; i < Clis.Count; i++)
        {
            var cli = Clis[i];
            output.WriteLine($"  CLI {i + 1}: {cli.Run.Path}");
            output.WriteLine($"    {cli.Run.Lines:N0} NDJSON lines in {cli.Run.Seconds:F2} s (process start included; first line after {cli.Run.SecondsToFirstLine:F2} s), exit code {cli.Run.ExitCode}, {cli.Run.OutOfOrder:N0} out of order, other processes {cli.Run.OtherCores:F2} cores");
            output.WriteLine($"    rate = {cli.RatioToInProcess:F2} x the in-process rate (mean of the passes before and after it)");
            if (DnsperfQueriesPerSecond is { } dnsperf)
            {
                output.WriteLine($"    dnsperf ceiling {dnsperf:N0} q/s: CLI at {cli.AuditsPerSecond * ((cli.Run.ServerQueries ?? 0) / (double)Math.Max(1, cli.Run.Lines)) / dnsperf:F3} x it in queries");
            }
        }

        output.WriteLine($"  findings that are not Info (in process): {string.Join("; ", InProcess[0].NotInfoFindings)}");
        output.WriteLine(Problems.Count == 0 ? "Run VALID." : $"Run INVALID: {string.Join("; ", Problems)}");
    }
}
