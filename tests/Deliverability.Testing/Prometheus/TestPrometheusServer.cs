using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Deliverability.Testing.Network;

namespace Deliverability.Testing.Prometheus;

/// <summary>
/// A private Prometheus (Debian's <c>/usr/bin/prometheus</c>) on a free port of 127.0.0.1 with its own data folder,
/// scraping one target every second with a bearer token; never the system service. <see cref="QueryAsync"/> asks its
/// HTTP API.
/// </summary>
public sealed class TestPrometheusServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus";
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private TestPrometheusServer(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>What Prometheus logged so far, for a test's failure message.</summary>
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

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (<c>host:port</c>) at <paramref name="metricsPath"/> every second.</summary>
    public static async Task<TestPrometheusServer> StartAsync(string target, string metricsPath, string bearerToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: monitor
                metrics_path: {metricsPath}
                authorization:
                  type: Bearer
                  credentials: {bearerToken}
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort.Tcp();
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}");
        var server = new TestPrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>An instant query's result vector: each series' labels (with <c>__name__</c>) and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var document = await _http.GetFromJsonAsync<JsonDocument>("api/v1/query?query=" + Uri.EscapeDataString(promql))
            ?? throw new InvalidOperationException("Prometheus answered nothing");
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {promql}: {root}");
        }

        return [.. root.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
            double.Parse(series.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>The scrape target's health as Prometheus sees it (<c>up</c>, <c>down</c>, <c>unknown</c>) and its last error.</summary>
    public async Task<string> TargetStateAsync()
    {
        using var document = await _http.GetFromJsonAsync<JsonDocument>("api/v1/targets");
        var target = document!.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().FirstOrDefault();
        return target.ValueKind == JsonValueKind.Undefined
            ? "no target"
            : $"{target.GetProperty("health").GetString()} {target.GetProperty("lastError").GetString()}";
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                if ((await _http.GetAsync("-/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"prometheus was not ready within 60 s: {Output}");
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned anyway.
        }
    }
}
