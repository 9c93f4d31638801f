using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Deliverability.Testing.Network;

namespace Deliverability.Testing.Redis;

/// <summary>
/// A private Redis (Debian's <c>redis-server</c>) on 127.0.0.1 and a free port, without persistence, its working folder
/// temporary: never the system service. It can be stopped and started again on the same port, as a Redis that goes down
/// and comes back.
/// </summary>
public sealed class TestRedisServer : IAsyncDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-redis-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    private TestRedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>A server on a free port, answering PING when this returns.</summary>
    public static async Task<TestRedisServer> StartAsync()
    {
        var server = new TestRedisServer(FreePort.Tcp());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A server on a port nobody listens on yet: a Redis that is down until <see cref="StartAgainAsync"/>.</summary>
    public static TestRedisServer NotStarted() => new(FreePort.Tcp());

    /// <summary>Starts the server on <see cref="Port"/> (again) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Redis is not installed ({Executable} is missing): apt-get install redis-server");
        }

        Directory.CreateDirectory(_folder);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder, "--daemonize", "no", "--logfile", "" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        // Read, never shown: a full pipe would block the server.
        _ = _process.StandardOutput.ReadToEndAsync();
        var errors = _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {await errors}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 30 s");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops the server at once (as a crash would), keeping its port for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
