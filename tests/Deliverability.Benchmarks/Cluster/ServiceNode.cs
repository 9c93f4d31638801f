using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Deliverability.Testing.Network;

namespace Deliverability.Benchmarks.Cluster;

/// <summary>
/// One node of the cluster: the service built in Release (<c>Deliverability.Server.dll</c>) in a process of its own on a
/// free port of 127.0.0.1, its output written to a file in the run's folder. Disposing it (or this process exiting) kills it.
/// </summary>
internal sealed class ServiceNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly EventHandler _killOnExit;
    private readonly Lock _logLock = new();
    private int _cycles;

    private ServiceNode(string name, Process process, int port, StreamWriter log)
    {
        Name = name;
        _process = process;
        Port = port;
        _log = log;
        _killOnExit = (_, _) => KillHard();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>"Audit cycle:" lines printed: audit cycles this node finished.</summary>
    public int CyclesFinished => Volatile.Read(ref _cycles);

    public static ServiceNode Start(string name, string serverDll, string workingDirectory, IEnumerable<string> settings)
    {
        var port = FreePort.Tcp();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Cluster:InstanceId={name}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var log = new StreamWriter(Path.Combine(workingDirectory, name + ".log")) { AutoFlush = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"node {name} did not start");
        var node = new ServiceNode(name, process, port, log);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public async Task WaitUntilHealthyAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < patience)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"node {Name} exited with {_process.ExitCode} before it was healthy (see {Name}.log)");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"node {Name} was not healthy within {patience}");
    }

    /// <summary>The sum of the <c>deliverability_scheduler_misfires_total</c> series of <c>/metrics</c>; null when the node does not answer.</summary>
    public async Task<double?> ScrapeMisfiresAsync(string token, CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            return null;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{Port}/metrics"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Split('\n')
                .Where(line => line.StartsWith("deliverability_scheduler_misfires", StringComparison.Ordinal))
                .Sum(line => double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>CPU time of the node so far (zero once it is gone).</summary>
    public TimeSpan CpuTime() => _process.HasExited ? TimeSpan.Zero : ProcessTree.CpuTime(_process.Id);

    /// <summary>Resident and peak resident memory now, bytes (zero once it is gone).</summary>
    public (long Resident, long Peak) Memory() =>
        _process.HasExited ? (0, 0) : (StatusKilobytes(_process.Id, "VmRSS:") * 1024, StatusKilobytes(_process.Id, "VmHWM:") * 1024);

    /// <summary>kill -9: no shutdown, no goodbye to the cluster; the job store finds out by the missed check-ins.</summary>
    public void KillHard()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillHard();
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        _process.Dispose();
        lock (_logLock)
        {
            _log.Flush();
        }

        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("Audit cycle:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _cycles);
        }

        lock (_logLock)
        {
            _log.WriteLine(line);
        }
    }

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
