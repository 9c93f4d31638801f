using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Dns;
using Deliverability.Testing.Network;

namespace Deliverability.Benchmarks.Nsd;

/// <summary>
/// Debian's NSD serving the generated zones on 127.0.0.1, in its own process so that its CPU and its query count are
/// its own. Started in the foreground (<c>nsd -d</c>) as a child; disposing it (or this process exiting) kills it.
/// </summary>
public sealed class NsdServer : IAsyncDisposable
{
    private const int MaxLogLength = 64 * 1024;

    private readonly Process _process;
    private readonly string _configPath;
    private readonly string? _controlPath;
    private readonly StringBuilder _log;
    private readonly EventHandler _killOnExit;

    private NsdServer(Process process, string configPath, string? controlPath, StringBuilder log, int port, string version)
    {
        _process = process;
        _configPath = configPath;
        _controlPath = controlPath;
        _log = log;
        Port = port;
        Version = version;
        // Ctrl+C and SIGTERM end the benchmark through ProcessExit: the server must not outlive it.
        _killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public string Version { get; }

    public int ProcessId => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts NSD on a free port and waits until it answers for <paramref name="probeName"/>.</summary>
    public static async Task<NsdServer> StartAsync(string directory, IReadOnlyList<ZoneFile> zones, int serverCount, string probeName, CancellationToken cancellationToken)
    {
        var nsd = Executables.Find("nsd") ?? throw new InvalidOperationException("nsd is not installed: apt-get install -y nsd (bench.sh does it)");
        Exception? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                return await TryStartAsync(nsd, directory, zones, serverCount, probeName, cancellationToken).ConfigureAwait(false);
            }
            catch (NsdStartException ex)
            {
                // Most likely another process took the free port between our probe and NSD's bind: try another one.
                last = ex;
            }
        }

        throw new InvalidOperationException($"NSD did not start: {last?.Message}", last);
    }

    /// <summary>The queries NSD has answered since it started (its own counter, read through nsd-control); null if unavailable.</summary>
    public async Task<long?> QueriesServedAsync(CancellationToken cancellationToken)
    {
        var control = Executables.Find("nsd-control");
        if (control is null || _controlPath is null)
        {
            return null;
        }

        var info = new ProcessStartInfo(control, ["-c", _configPath, "stats_noreset"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("nsd-control did not start");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("num.queries=", StringComparison.Ordinal));
        return process.ExitCode == 0 && line is not null && long.TryParse(line["num.queries=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
    }

    /// <summary>CPU time of NSD and every process it forked (its server and xfrd processes).</summary>
    public TimeSpan CpuTime() => ProcessTree.CpuTime(_process.Id);

    /// <summary>The sum of the peak resident sizes of NSD's processes.</summary>
    public long PeakResidentBytes() => ProcessTree.PeakResidentBytes(_process.Id);

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first: NSD then stops and reaps its own server processes (SIGKILL would leave them as zombies).
        if (!_process.HasExited && Signals.Terminate(_process.Id))
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Still running: killed below.
            }
        }

        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed with SIGKILL: it is gone even if the exit was not observed in time.
        }

        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
        {
            // Already exited, or a child went away meanwhile: nothing left to stop.
        }
    }

    private static async Task<NsdServer> TryStartAsync(string nsd, string directory, IReadOnlyList<ZoneFile> zones, int serverCount, string probeName, CancellationToken cancellationToken)
    {
        var port = FreePort.UdpAndTcp(); // NSD binds both
        var configPath = Path.Combine(directory, "nsd.conf");
        var controlPath = Path.Combine(directory, "nsd.ctl");
        await File.WriteAllTextAsync(configPath, Config(directory, port, serverCount, controlPath, zones), cancellationToken).ConfigureAwait(false);
        await CheckConfigAsync(configPath, cancellationToken).ConfigureAwait(false);

        var log = new StringBuilder();
        var info = new ProcessStartInfo(nsd, ["-c", configPath, "-d"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new NsdServer(process, configPath, controlPath, log, port, await VersionAsync(nsd, cancellationToken).ConfigureAwait(false));
        try
        {
            await server.WaitUntilAnsweringAsync(probeName, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitUntilAnsweringAsync(string probeName, CancellationToken cancellationToken)
    {
        var probe = new DnsStubResolver(new DnsOptions { NameServers = [Endpoint], TimeoutSeconds = 0.5, Retries = 0, UseCache = false });
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new NsdStartException($"nsd exited with code {_process.ExitCode}: {Log}");
            }

            var response = await probe.QueryAsync(probeName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (response.Status == DnsStatus.NoError && !response.IsNoData)
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new NsdStartException($"nsd did not answer for {probeName} within 60 s: {Log}");
    }

    private static string Config(string directory, int port, int serverCount, string controlPath, IReadOnlyList<ZoneFile> zones)
    {
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"""
            server:
              ip-address: 127.0.0.1@{port}
              port: {port}
              do-ip6: no
              username: ""
              chroot: ""
              zonesdir: "{directory}"
              pidfile: "{Path.Combine(directory, "nsd.pid")}"
              database: ""
              zonelistfile: "{Path.Combine(directory, "zone.list")}"
              xfrdfile: "{Path.Combine(directory, "xfrd.state")}"
              xfrdir: "{directory}"
              server-count: {serverCount}
              verbosity: 1
              hide-version: yes
              # Response-rate limiting would cap one client at 200 answers/s: this load is ours and on loopback.
              rrl-ratelimit: 0
              rrl-whitelist-ratelimit: 0
            remote-control:
              control-enable: yes
              control-interface: "{controlPath}"
            """);
        foreach (var zone in zones)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"""
                zone:
                  name: "{zone.Origin}"
                  zonefile: "{zone.FileName}"
                """);
        }

        return config.ToString();
    }

    private static async Task CheckConfigAsync(string configPath, CancellationToken cancellationToken)
    {
        var check = Executables.Find("nsd-checkconf");
        if (check is null)
        {
            return;
        }

        var info = new ProcessStartInfo(check, [configPath]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("nsd-checkconf did not start");
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nsd-checkconf rejected {configPath}: {errors}{output}");
        }
    }

    private static async Task<string> VersionAsync(string nsd, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(nsd, ["-v"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("nsd did not start");
        var text = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false) +
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return text.Split('\n').FirstOrDefault(l => l.StartsWith("NSD", StringComparison.Ordinal))?.Trim() ?? "NSD";
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < MaxLogLength)
            {
                log.AppendLine(line);
            }
        }
    }

    private sealed class NsdStartException(string message) : Exception(message);
}
