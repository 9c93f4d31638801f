namespace Deliverability.Benchmarks;

/// <summary>Finds a program on PATH, or in the sbin folders where Debian puts daemons (not on a normal user's PATH).</summary>
public static class Executables
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
