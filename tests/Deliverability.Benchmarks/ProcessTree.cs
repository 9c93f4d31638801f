using System.Globalization;

namespace Deliverability.Benchmarks;

/// <summary>CPU time and peak memory of a process and its descendants, read from Linux's /proc.</summary>
public static class ProcessTree
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan CpuTime(int rootId) =>
        TimeSpan.FromSeconds(Members(rootId).Sum(pid => StatFields(pid) is { } fields ? (Ticks(fields, 11) + Ticks(fields, 12)) / TicksPerSecond : 0));

    public static long PeakResidentBytes(int rootId) => Members(rootId).Sum(pid => StatusKilobytes(pid, "VmHWM:") ?? 0) * 1024;

    /// <summary>This process's peak resident set size (VmHWM) since it started or since the last <see cref="ResetOwnPeak"/>.</summary>
    public static long OwnPeakResidentBytes() => (StatusKilobytes(Environment.ProcessId, "VmHWM:") ?? 0) * 1024;

    /// <summary>Restarts VmHWM from the current RSS (Linux 4.0+), so that a phase's own peak can be read; false if refused.</summary>
    public static bool ResetOwnPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>CPU time every process of the machine has used since boot (all cores, idle and I/O wait excluded).</summary>
    public static TimeSpan MachineBusyTime()
    {
        // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in USER_HZ.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }

    private static List<int> Members(int rootId)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StatFields(pid) is { } fields)
            {
                parents[pid] = (int)Ticks(fields, 1);
            }
        }

        var members = new List<int> { rootId };
        for (var i = 0; i < members.Count; i++)
        {
            members.AddRange(parents.Where(p => p.Value == members[i]).Select(p => p.Key));
        }

        return members;
    }

    // Fields after "pid (comm)": the command may hold spaces and parentheses, so split after the last ')'.
    // Index 0 is the state (field 3 of proc(5)), 1 the parent id, 11 utime, 12 stime.
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // The process ended meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);

    private static long? StatusKilobytes(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
