using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Deliverability.Core.MessageChecks.SpamAssassin;

/// <summary>
/// A spamd of our own on 127.0.0.1 and a free port, with network tests off (<c>--local</c>), no user configuration and
/// one child: started when no spamd address is configured. Loading the rules takes a few seconds. Disposing stops it
/// and its children.
/// </summary>
public sealed class PrivateSpamd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PrivateSpamd(Process process, string folder, IPEndPoint endpoint)
    {
        _process = process;
        _folder = folder;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    /// <exception cref="SpamdException">spamd is not installed, exited, or did not listen within <paramref name="startTimeout"/>.</exception>
    public static async Task<PrivateSpamd> StartAsync(string spamdPath, TimeSpan startTimeout, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(spamdPath))
        {
            throw new SpamdException($"spamd is not installed at {spamdPath} (Debian: apt-get install spamd spamassassin)");
        }

        var folder = Directory.CreateTempSubdirectory("monitor-spamd-").FullName;
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(spamdPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--listen=127.0.0.1:{port}", $"--pidfile={Path.Combine(folder, "spamd.pid")}", "--local", "--nouser-config",
            "--min-children=1", "--max-children=2", "--syslog=stderr",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new SpamdException($"{spamdPath} could not be started");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var spamd = new PrivateSpamd(process, folder, new IPEndPoint(IPAddress.Loopback, port));
        var deadline = DateTime.UtcNow + startTimeout;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new SpamdException($"spamd exited with code {process.ExitCode} at start: {string.Join(" | ", log.TakeLast(3))}");
                }

                if (await ListensAsync(spamd.Endpoint, cancellationToken).ConfigureAwait(false))
                {
                    return spamd;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new SpamdException($"spamd did not listen on {spamd.Endpoint} within {startTimeout.TotalSeconds:0} s: {string.Join(" | ", log.TakeLast(3))}");
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await spamd.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => PrivateProcess.StopAsync(_process, _folder);

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line.Length > 300 ? line[..300] : line);
        while (log.Count > 20 && log.TryDequeue(out _))
        {
        }
    }

    private static async Task<bool> ListensAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
