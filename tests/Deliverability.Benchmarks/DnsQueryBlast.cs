using System.Diagnostics;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks;

/// <summary>The result of a blast: how many queries the closed loop completed, and at what cost.</summary>
public sealed record BlastResult(string Label, long Queries, long Failures, PhaseCost Cost)
{
    public double QueriesPerSecond => Queries / Cost.Seconds;
}

/// <summary>
/// The DNS baseline: a closed loop of raw queries (the production resolver, cache off, no checks) at the audit's
/// concurrency, asking the audit's own mix of questions. Its rate is the most queries per second this server and
/// this client library reach together on this machine, the ceiling the audit's query rate is compared to.
/// </summary>
public static class DnsQueryBlast
{
    // Enough distinct questions to spread over many names, few enough to keep their strings out of the memory figure.
    private const int MaxDistinctDomains = 2000;

    public static Task<BlastResult> RunAsync(
        string label, NsdServer server, IReadOnlyList<BenchmarkDomain> domains, BenchmarkSettings settings, TimeSpan duration, CancellationToken cancellationToken, bool dnsClientLibrary = false) =>
        RunAsync(label, server, [.. domains.Take(MaxDistinctDomains).SelectMany(d => d.Questions)], settings, duration, cancellationToken, dnsClientLibrary);

    /// <summary>
    /// The same closed loop over a given question mix (the blacklist benchmark asks its own zones' names);
    /// <paramref name="dnsClientLibrary"/> runs it through DnsClient, the library the production resolver replaced.
    /// </summary>
    public static async Task<BlastResult> RunAsync(
        string label, NsdServer server, IReadOnlyList<(string Name, DnsRecordType Type)> questions, BenchmarkSettings settings, TimeSpan duration, CancellationToken cancellationToken,
        bool dnsClientLibrary = false)
    {
        var options = settings.DnsOptions(server.Endpoint, useCache: false);
        using var production = dnsClientLibrary ? null : new DnsStubResolver(options);
        var resolver = new CountingResolver(production ?? (IDnsResolver)new DnsClientLibraryResolver(options));
        var next = -1L;
        var clock = Stopwatch.StartNew();
        var meter = await PhaseMeter.StartAsync(server, cancellationToken).ConfigureAwait(false);
        var workers = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(
            async () =>
            {
                while (!cancellationToken.IsCancellationRequested && clock.Elapsed < duration)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= settings.BaselineMaxQueries)
                    {
                        return;
                    }

                    var (name, type) = questions[(int)(index % questions.Count)];
                    try
                    {
                        await resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Counted by the resolver's counter as a failure; the blast goes on.
                    }
                }
            },
            cancellationToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        var cost = await meter.StopAsync(cancellationToken).ConfigureAwait(false);
        return new BlastResult(label, resolver.Queries, resolver.Failures, cost);
    }
}
