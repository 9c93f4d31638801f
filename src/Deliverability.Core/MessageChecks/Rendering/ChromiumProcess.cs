using System.Diagnostics;

namespace Deliverability.Core.MessageChecks.Rendering;

/// <summary>
/// A headless Chromium of our own for one set of renders: its own empty profile in a temporary folder, no network
/// services of its own (sync, updates, background fetches), DevTools on a port it picks on 127.0.0.1. Disposing stops it.
/// </summary>
internal sealed class ChromiumProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;

    private ChromiumProcess(Process process, string profile, Uri browserUrl)
    {
        _process = process;
        _profile = profile;
        BrowserUrl = browserUrl;
    }

    /// <summary>The browser's DevTools WebSocket.</summary>
    public Uri BrowserUrl { get; }

    public static async Task<ChromiumProcess> StartAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new DevToolsException($"Chromium is not installed at {path}");
        }

        var profile = Directory.CreateTempSubdirectory("monitor-render-").FullName;
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--no-first-run", "--no-default-browser-check", "--mute-audio",
            "--hide-scrollbars", "--disable-features=Translate,MediaRouter,OptimizationHints", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new DevToolsException($"{path} could not be started");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastLines = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new DevToolsException($"Chromium exited at start: {string.Join(" | ", lastLines)}"));
                return;
            }

            const string Marker = "DevTools listening on ";
            var at = e.Data.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0 && Uri.TryCreate(e.Data[(at + Marker.Length)..].Trim(), UriKind.Absolute, out var url))
            {
                listening.TrySetResult(url);
            }

            lock (lastLines)
            {
                lastLines.Enqueue(e.Data.Length > 200 ? e.Data[..200] : e.Data);
                if (lastLines.Count > 3)
                {
                    lastLines.Dequeue();
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var chromium = new ChromiumProcess(process, profile, new Uri("ws://127.0.0.1/"));
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return new ChromiumProcess(process, profile, url);
        }
        catch (TimeoutException)
        {
            await chromium.DisposeAsync().ConfigureAwait(false);
            throw new DevToolsException("Chromium did not open its DevTools port within 30 s");
        }
        catch
        {
            await chromium.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => PrivateProcess.StopAsync(_process, _profile);
}
