using System.Diagnostics;
using System.Globalization;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.Nsd;

/// <summary>
/// The DNS server's own ceiling, apart from our client: <c>dnsperf</c> (Debian's package, a lean C load generator)
/// asks the same question mix for the same time. Optional: skipped when dnsperf is not installed.
/// </summary>
public static class DnsperfBlast
{
    private const int MaxDistinctDomains = 2000;

    // Enough queries in flight to keep NSD busy without queueing beyond its socket buffer.
    private const int Outstanding = 200;

    public static Task<BlastResult?> RunAsync(NsdServer server, IReadOnlyList<BenchmarkDomain> domains, string directory, TimeSpan duration, CancellationToken cancellationToken) =>
        RunAsync(server, [.. domains.Take(MaxDistinctDomains).SelectMany(d => d.Questions)], directory, duration, cancellationToken);

    /// <summary>The same ceiling over a given question mix.</summary>
    public static async Task<BlastResult?> RunAsync(NsdServer server, IReadOnlyList<(string Name, DnsRecordType Type)> questions, string directory, TimeSpan duration, CancellationToken cancellationToken)
    {
        var dnsperf = Executables.Find("dnsperf");
        if (dnsperf is null)
        {
            return null;
        }

        var queries = Path.Combine(directory, "dnsperf.queries");
        await File.WriteAllLinesAsync(
            queries,
            questions.Select(q => $"{q.Name} {q.Type}"),
            cancellationToken).ConfigureAwait(false);

        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // Through sh, whose `times` prints the CPU its children used: dnsperf's own cost, as the baseline's client cost is ours.
        var info = new ProcessStartInfo("/bin/sh", ["-c", "\"$0\" \"$@\"; status=$?; times; exit $status", dnsperf, "-s", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-d", queries, "-l", seconds, "-q", Outstanding.ToString(CultureInfo.InvariantCulture), "-t", "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var meter = await PhaseMeter.StartAsync(server, cancellationToken).ConfigureAwait(false);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dnsperf did not start");
        using var stop = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var cost = await meter.StopAsync(cancellationToken).ConfigureAwait(false);
        var completed = Count(output, "Queries completed:");
        var lost = Count(output, "Queries lost:");
        if (process.ExitCode != 0 || completed is null)
        {
            throw new InvalidOperationException($"dnsperf failed ({process.ExitCode}): {await errors.ConfigureAwait(false)}{output}");
        }

        // dnsperf's own elapsed time excludes its start-up; the rate is completed queries over our wall time, like the other blasts.
        return new BlastResult("dnsperf", completed.Value, lost ?? 0, cost with { ClientCpuSeconds = ChildCpuSeconds(output) ?? 0 });
    }

    // The last line of `times`: user and system time of the shell's children, as "0m1.230000s 0m0.450000s".
    private static double? ChildCpuSeconds(string output)
    {
        var fields = output.TrimEnd().Split('\n')[^1].Trim().Split(' ');
        return fields.Length == 2 && fields.All(f => f.Contains('m', StringComparison.Ordinal) && f.EndsWith('s'))
            ? fields.Sum(Seconds)
            : null;

        static double Seconds(string field)
        {
            var parts = field.TrimEnd('s').Split('m');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + double.Parse(parts[1], CultureInfo.InvariantCulture);
        }
    }

    private static long? Count(string output, string label)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
        var number = line?[label.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
