using System.Diagnostics;
using Deliverability.Benchmarks.Nsd;

namespace Deliverability.Benchmarks;

/// <summary>What one phase cost: wall time, CPU of this process and of the DNS server, and the queries the server counted.</summary>
/// <param name="ServerQueries">NSD's own counter over the phase; null when nsd-control could not be read.</param>
/// <param name="ClientPeakBytes">This process's peak resident memory during the phase.</param>
/// <param name="MachineCpuSeconds">CPU used by every process of the machine during the phase (ours, NSD's and the neighbours').</param>
/// <param name="AllocatedBytes">Bytes this process allocated on the managed heap during the phase (all threads).</param>
/// <param name="MethodsCompiled">Methods the JIT compiled during the phase (tiered compilation's re-compilations included): a
/// phase that compiles many was not measured at steady state.</param>
/// <param name="JitSeconds">Time the JIT spent compiling during the phase (all threads), part of the client's CPU.</param>
public sealed record PhaseCost(
    double Seconds, double ClientCpuSeconds, double ServerCpuSeconds, long? ServerQueries, long ClientPeakBytes, double MachineCpuSeconds, long AllocatedBytes,
    long MethodsCompiled, double JitSeconds)
{
    /// <summary>Cores other processes (builds, other benchmarks) took during the phase: the noise this phase ran under.</summary>
    public double OtherCores => Math.Max(0, MachineCpuSeconds - ClientCpuSeconds - ServerCpuSeconds) / Seconds;

    /// <summary>Cores this process kept busy on average (2 = both cores of this machine).</summary>
    public double ClientCores => ClientCpuSeconds / Seconds;

    public double ServerCores => ServerCpuSeconds / Seconds;

    public double? ServerQueriesPerSecond => ServerQueries / Seconds;
}

/// <summary>Samples the counters before and after a phase; the server's counter is read outside the timed window.</summary>
public sealed class PhaseMeter
{
    private readonly NsdServer _server;
    private long? _serverQueries;
    private TimeSpan _clientCpu;
    private TimeSpan _serverCpu;
    private TimeSpan _machineCpu;
    private long _allocated;
    private long _compiled;
    private TimeSpan _jit;
    private long _started;

    private PhaseMeter(NsdServer server) => _server = server;

    public static async Task<PhaseMeter> StartAsync(NsdServer server, CancellationToken cancellationToken)
    {
        var meter = new PhaseMeter(server) { _serverQueries = await server.QueriesServedAsync(cancellationToken).ConfigureAwait(false) };
        // What earlier phases left behind must not count as this phase's memory: collect and give it back first.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        ProcessPeak.StartPhase();
        meter._serverCpu = server.CpuTime();
        meter._machineCpu = ProcessTree.MachineBusyTime();
        meter._clientCpu = ClientCpu();
        meter._allocated = GC.GetTotalAllocatedBytes(precise: true);
        meter._compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        meter._jit = System.Runtime.JitInfo.GetCompilationTime();
        meter._started = Stopwatch.GetTimestamp();
        return meter;
    }

    public async Task<PhaseCost> StopAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - _compiled;
        var jit = System.Runtime.JitInfo.GetCompilationTime() - _jit;
        var clientCpu = ClientCpu() - _clientCpu;
        var serverCpu = _server.CpuTime() - _serverCpu;
        var machineCpu = ProcessTree.MachineBusyTime() - _machineCpu;
        var queries = await _server.QueriesServedAsync(cancellationToken).ConfigureAwait(false);
        return new PhaseCost(elapsed.TotalSeconds, clientCpu.TotalSeconds, serverCpu.TotalSeconds, queries - _serverQueries, ProcessPeak.PhaseBytes, machineCpu.TotalSeconds, allocated, compiled, jit.TotalSeconds);
    }

    private static TimeSpan ClientCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
