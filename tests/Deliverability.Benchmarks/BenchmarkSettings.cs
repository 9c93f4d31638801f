using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks;

/// <summary>The benchmark's knobs, from the command line (see Program.cs for each option's description).</summary>
public sealed record BenchmarkSettings
{
    public int Domains { get; init; } = 10_000;

    public int Concurrency { get; init; } = 64;

    public double BaselineSeconds { get; init; } = 10;

    public long BaselineMaxQueries { get; init; } = 1_000_000;

    /// <summary>Audit passes to run: with the resolver's cache on, off, or one of each.</summary>
    public IReadOnlyList<bool> CacheModes { get; init; } = [true];

    public bool SyntheticChecks { get; init; }

    public string OutputPath { get; init; } = "artifacts/bench/audit-throughput.json";

    public int EspCount { get; init; } = 5;

    public int DkimKeyCount { get; init; } = 4;

    public double DnsTimeoutSeconds { get; init; } = new DnsOptions().TimeoutSeconds;

    public int DnsRetries { get; init; } = new DnsOptions().Retries;

    /// <summary>An audit pass that runs longer than this is cancelled and the run fails (the benchmark always stops by itself).</summary>
    public double MaxAuditSeconds { get; init; } = 300;

    /// <summary>Audits that end Unknown or Error, or hit a DNS failure, above this share fail the run: the figures would not be of real audits.</summary>
    public double MaxFailedPercent { get; init; } = 2;

    public int NsdServerCount { get; init; } = 1;

    /// <summary>Every problem with these settings, each naming its option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Require(Domains is >= 1 and <= BenchmarkDomain.MaxCount, $"--domains must be 1 to {BenchmarkDomain.MaxCount}");
        Require(Concurrency is >= 1 and <= 4096, "--concurrency must be 1 to 4096");
        Require(BaselineSeconds is > 0 and <= 120, "--seconds-baseline must be more than 0 and at most 120");
        Require(BaselineMaxQueries is >= 1 and <= 10_000_000, "--baseline-max-queries must be 1 to 10,000,000");
        Require(EspCount is >= 1 and <= 200, "--esps must be 1 to 200");
        Require(DkimKeyCount is >= 1 and <= 16, "the DKIM key count must be 1 to 16");
        Require(MaxAuditSeconds is > 0 and <= 3600, "--max-audit-seconds must be more than 0 and at most 3600");
        Require(MaxFailedPercent is >= 0 and <= 100, "--max-failed-percent must be 0 to 100");
        Require(NsdServerCount is >= 1 and <= 16, "--nsd-servers must be 1 to 16");
        Require(!string.IsNullOrWhiteSpace(OutputPath), "--out must not be empty");
        problems.AddRange(DnsOptions("127.0.0.1:53", useCache: true).Validate("--dns"));
        return problems;

        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add(problem);
            }
        }
    }

    public DnsOptions DnsOptions(string endpoint, bool useCache) => new()
    {
        NameServers = [endpoint],
        TimeoutSeconds = DnsTimeoutSeconds,
        Retries = DnsRetries,
        UseCache = useCache,
    };
}
