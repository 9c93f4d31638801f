namespace Deliverability.Benchmarks;

/// <summary>
/// Peak resident memory per phase and for the whole run. Each phase restarts the kernel's VmHWM; the run's peak is
/// the highest VmHWM seen before any restart, so it is still the process's peak since start.
/// </summary>
public static class ProcessPeak
{
    private static long _beforeResets;

    public static long OverallBytes => Math.Max(Interlocked.Read(ref _beforeResets), ProcessTree.OwnPeakResidentBytes());

    public static void StartPhase()
    {
        var peak = ProcessTree.OwnPeakResidentBytes();
        if (peak > Interlocked.Read(ref _beforeResets))
        {
            Interlocked.Exchange(ref _beforeResets, peak);
        }

        ProcessTree.ResetOwnPeak();
    }

    /// <summary>The peak since the phase started (the run's peak so far if the reset was refused).</summary>
    public static long PhaseBytes => ProcessTree.OwnPeakResidentBytes();
}
