using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Benchmarks.Dashboard;

/// <summary>
/// Debian's Chromium driven over the DevTools protocol (no Playwright in this project): set the sign-in cookie, open tabs.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        var profile = Path.Combine(Path.GetTempPath(), "monitor-bench-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo("/usr/bin/chromium")
        {
            ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var chromium = new HeadlessChromium(process, profile);
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                throw new InvalidOperationException("chromium did not open its DevTools port");
            }

            await Task.Delay(100, cancellationToken);
        }

        var lines = File.ReadAllLines(portFile);
        await chromium._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), cancellationToken);
        return chromium;
    }

    public Task SetCookieAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync("Storage.setCookies", new JsonObject
        {
            ["cookies"] = new JsonArray(new JsonObject { ["name"] = name, ["value"] = value, ["domain"] = "127.0.0.1", ["path"] = "/", ["httpOnly"] = true }),
        }, cancellationToken);

    public Task OpenTabAsync(string url, CancellationToken cancellationToken) =>
        SendAsync("Target.createTarget", new JsonObject { ["url"] = url }, cancellationToken);

    private async Task SendAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken);
                received.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var reply = JsonNode.Parse(received.ToArray());
            if (reply?["id"]?.GetValue<int>() == id)
            {
                if (reply["error"] is { } error)
                {
                    throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                }

                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
