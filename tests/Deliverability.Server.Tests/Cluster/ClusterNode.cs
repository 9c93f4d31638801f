using System.Collections.Concurrent;
using System.Diagnostics;
using Deliverability.Testing.Network;

namespace Deliverability.Server.Tests.Cluster;

/// <summary>
/// One node of a cluster: the service's real entry point in a process of its own, on its own port and instance id,
/// with every line it prints kept (numbered across nodes, so that which node logged last can be told).
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private static long s_lineNumber;
    private readonly Process _process;

    private ClusterNode(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public ConcurrentQueue<(long Number, string Text)> Lines { get; } = new();

    public bool HasExited => _process.HasExited;

    public static ClusterNode Start(string name, string workingDirectory, IEnumerable<string> settings)
    {
        var port = FreePort.Tcp();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Deliverability.Server.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Cluster:InstanceId={name}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"node {name} did not start");
        var node = new ClusterNode(name, process, port);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>How many lines containing <paramref name="text"/> the node printed, and the number of the last one (0: none).</summary>
    public (int Count, long Last) Printed(string text)
    {
        var matching = Lines.Where(l => l.Text.Contains(text, StringComparison.Ordinal)).ToList();
        return (matching.Count, matching.Count == 0 ? 0 : matching.Max(l => l.Number));
    }

    public string Output => string.Join(Environment.NewLine, Lines.Select(l => l.Text));

    /// <summary>Waits until <c>/health</c> answers 200.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan patience)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"node {Name} exited with {(_process.HasExited ? _process.ExitCode : 0)}: {Output}");
            try
            {
                if ((await client.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"node {Name} was not healthy within {patience}: {Output}");
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster; the job store finds out by the missed check-ins.</summary>
    public void KillHard()
    {
        using var kill = Process.Start("kill", ["-9", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Lines.Enqueue((Interlocked.Increment(ref s_lineNumber), line));
        }
    }
}
