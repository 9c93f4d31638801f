using System.Diagnostics;
using System.Text;
using Deliverability.Testing.Network;

namespace Deliverability.Browser.Tests;

/// <summary>
/// Another node of the service in a process of its own (<c>dotnet Deliverability.Server.dll</c>, the real entry point) on
/// 127.0.0.1 and a free port, its settings given as command-line arguments: for the API calls of a second node, so no
/// browser needs its static assets. Ready when <c>/health</c> says Healthy; killed with its children when disposed.
/// </summary>
internal sealed class ServiceNodeProcess : IAsyncDisposable
{
    private const int MaxOutputChars = 200_000;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private ServiceNodeProcess(Process process, string folder, string baseUrl)
    {
        _process = process;
        _folder = folder;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>What the node printed so far (its first 200,000 characters), for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceNodeProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var baseUrl = $"http://127.0.0.1:{FreePort.Tcp()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Deliverability.Server.dll"));
        start.ArgumentList.Add($"--urls={baseUrl}");
        start.ArgumentList.Add("--environment=Testing");
        start.ArgumentList.Add($"--Secrets:KeysFolder={Path.Combine(folder, "keys")}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the service process did not start");
        var node = new ServiceNodeProcess(process, folder, baseUrl);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            Assert.False(process.HasExited, $"The node exited with {(process.HasExited ? process.ExitCode : 0)}: {node.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"The node did not become healthy within 120 s: {node.Output}");
            try
            {
                if (await client.GetStringAsync("/health") == "Healthy")
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet, or 503 while the database or Redis is not reached
            }
            catch (TaskCanceledException)
            {
                // a slow answer on a busy machine: ask again
            }

            await Task.Delay(200);
        }
    }

    private void Keep(string? line)
    {
        lock (_output)
        {
            if (line is not null && _output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the OS temp folder is cleaned anyway
        }
    }
}
