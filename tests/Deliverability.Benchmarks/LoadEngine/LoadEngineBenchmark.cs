using System.Diagnostics;
using System.Text.Json;
using Deliverability.Load;

namespace Deliverability.Benchmarks.LoadEngine;

/// <summary>The load-engine benchmark's knobs (see Program.cs for each option's description).</summary>
public sealed record LoadEngineBenchmarkSettings
{
    public const double TargetRate = 5000;
    public const double TargetPeakMegabytes = 200;

    public double Rate { get; init; } = TargetRate;

    public double Seconds { get; init; } = 10;

    public int Workers { get; init; } = 100;

    public string OutputPath { get; init; } = "artifacts/bench/load-engine.json";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Rate is < 1 or > 100_000)
        {
            problems.Add("--rate must be 1 to 100,000");
        }

        if (Seconds is < 1 or > 600)
        {
            problems.Add("--seconds must be 1 to 600");
        }

        if (Workers is < 1 or > 10_000)
        {
            problems.Add("--workers must be 1 to 10,000");
        }

        return problems;
    }
}

/// <summary>
/// Can the generator hold its target rate? An open-model run of a two-step in-process scenario (each invocation
/// yields once, so workers really suspend), rated against the target and against a baseline from the same run: the
/// same invocation body run flat out by as many plain loops as the engine has workers, with no scheduling and no
/// statistics (the machine's ceiling for this work, and its CPU cost per invocation). Reports late and dropped
/// starts, the engine's own latency (a no-op's p99 from its planned start), allocations per invocation and peak memory.
/// </summary>
public static class LoadEngineBenchmark
{
    public static async Task<int> RunAsync(LoadEngineBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var during = TimeSpan.FromSeconds(settings.Seconds);
        var baseline = await RawLoopsAsync(settings.Workers, (long)(settings.Rate * settings.Seconds), cancellationToken);

        var scenario = Scenario.Create("noop", async context =>
            {
                await Task.Yield();
                var first = await Step.Run("first", context, static () => Task.FromResult(Response.Ok(statusCode: "250")));
                return first.IsOk ? await Step.Run("second", context, static () => Task.FromResult(Response.Smtp(250, sizeBytes: 100))) : first;
            })
            .WithWarmUpDuration(TimeSpan.FromSeconds(1))
            .WithLoadSimulations(Simulation.Inject(settings.Rate, TimeSpan.FromSeconds(1), during))
            .WithMaxConcurrency(settings.Workers);
        ProcessPeak.StartPhase();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var report = await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 1, MaxDuration = during + TimeSpan.FromMinutes(1) },
            cancellationToken: cancellationToken);
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = ProcessPeak.PhaseBytes;
        cancellationToken.ThrowIfCancellationRequested();

        var result = report.Scenarios[0];
        var invocations = Math.Max(1, result.Started);
        var figures = new Dictionary<string, object>
        {
            ["targetRate"] = settings.Rate,
            ["achievedStartRate"] = Math.Round(result.Started / settings.Seconds, 1),
            ["achievedOverTarget"] = Math.Round(result.Started / settings.Seconds / settings.Rate, 3),
            ["baselineRawLoopsRate"] = Math.Round(baseline.Rate, 1),
            ["baselineOverTarget"] = Math.Round(baseline.Rate / settings.Rate, 3),
            ["baselineCpuMicrosecondsPerInvocation"] = Math.Round(baseline.CpuMicroseconds, 1),
            ["planned"] = result.Planned,
            ["lateStarts"] = result.LateStarts,
            ["lateShare"] = Math.Round(result.LateStarts / (double)invocations, 4),
            ["droppedStarts"] = result.DroppedStarts,
            ["noopResponseP50Ms"] = result.Stats.ResponseTime.P50Ms,
            ["noopResponseP99Ms"] = result.Stats.ResponseTime.P99Ms,
            ["noopResponseMaxMs"] = result.Stats.ResponseTime.MaxMs,
            ["bytesAllocatedPerInvocation"] = allocated / invocations,
            ["cpuMicrosecondsPerInvocation"] = Math.Round(cpuUsed.TotalMicroseconds / invocations, 1),
            ["cpuOverBaseline"] = Math.Round(cpuUsed.TotalMicroseconds / invocations / Math.Max(0.001, baseline.CpuMicroseconds), 2),
            ["peakResidentMegabytes"] = Math.Round(peak / 1024.0 / 1024.0, 1),
            ["peakOverTarget"] = Math.Round(peak / 1024.0 / 1024.0 / LoadEngineBenchmarkSettings.TargetPeakMegabytes, 3),
        };

        await output.WriteLineAsync($"| figure | measured |");
        await output.WriteLineAsync($"|---|---|");
        foreach (var (name, value) in figures)
        {
            await output.WriteLineAsync($"| {name} | {value} |");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath))!);
        await File.WriteAllTextAsync(settings.OutputPath, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.ChangeExtension(settings.OutputPath, ".report.json"), report.ToJson(), cancellationToken);
        return 0;
    }

    /// <summary>The same invocation body, run back to back by <paramref name="loops"/> plain loops: no plan, no statistics.</summary>
    private static async Task<(double Rate, double CpuMicroseconds)> RawLoopsAsync(int loops, long invocations, CancellationToken cancellationToken)
    {
        var left = invocations;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, loops).Select(loop => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                await Task.Yield();
                var first = await Task.FromResult(Response.Ok(statusCode: "250"));
                _ = first.IsOk ? await Task.FromResult(Response.Smtp(250, sizeBytes: 100)) : first;
            }
        }, cancellationToken)));
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (invocations / clock.Elapsed.TotalSeconds, cpuUsed.TotalMicroseconds / invocations);
    }
}
