using System.Runtime.InteropServices;

namespace Deliverability.Benchmarks.Nsd;

/// <summary>POSIX signals .NET's Process has no method for.</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to stop (SIGTERM); false if it could not be signalled.</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
