using System.Diagnostics;

namespace Deliverability.Server.Tests;

/// <summary>
/// The service's real entry point in a process of its own (what <c>dotnet Deliverability.Server.dll</c> runs), for what only a
/// process shows: its exit code and everything it prints. WebApplicationFactory replaces the entry point's end.
/// </summary>
internal static class ServiceProcess
{
    public sealed record Exit(int Code, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>Runs the service in <paramref name="workingDirectory"/> (its content root) and waits until it exits; fails the test when it keeps running.</summary>
    public static async Task<Exit> RunUntilExitAsync(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Deliverability.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the service process did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The service kept running although its configuration is bad. It printed: {await stdout}{await stderr}");
        }

        return new Exit(process.ExitCode, await stdout, await stderr);
    }
}
