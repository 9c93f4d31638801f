using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Core.MessageChecks.Rendering;

/// <summary>The browser broke the protocol, closed, or answered a command with an error.</summary>
public sealed class DevToolsException(string message) : Exception(message);

/// <summary>
/// A Chrome DevTools protocol connection over the browser's WebSocket: commands with their answers matched by id,
/// events handed to a handler (with the session they came from). Sessions are flattened (<c>Target.attachToTarget</c>
/// with <c>flatten: true</c>), so one socket drives every page.
/// </summary>
internal sealed class DevToolsConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task? _receiving;
    private int _nextId;

    /// <summary>Called for each event: method, params, session id (null for the browser's own).</summary>
    public Func<string, JsonElement, string?, Task>? OnEvent { get; set; }

    public async Task ConnectAsync(Uri browserUrl, CancellationToken cancellationToken)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(browserUrl, cancellationToken).ConfigureAwait(false);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var command = new JsonObject { ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            command["params"] = JsonSerializer.SerializeToNode(parameters);
        }

        if (sessionId is not null)
        {
            command["sessionId"] = sessionId;
        }

        var bytes = Encoding.UTF8.GetBytes(command.ToJsonString());
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }

        using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        try
        {
            return await answer.Task.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        if (_receiving is not null)
        {
            try
            {
                await _receiving.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _closing.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (message.Length + result.Count > MaxMessageBytes)
                {
                    throw new DevToolsException("the browser sent a message over 64 MB");
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                await DispatchAsync(message.GetBuffer().AsMemory(0, (int)message.Length)).ConfigureAwait(false);
                message.SetLength(0);
            }

            FailAll("the browser closed the connection");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or DevToolsException or JsonException)
        {
            FailAll($"the connection to the browser ended: {ex.Message}");
        }
    }

    private async Task DispatchAsync(ReadOnlyMemory<byte> bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt32(out var id))
        {
            if (_pending.TryGetValue(id, out var answer))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    answer.TrySetException(new DevToolsException(error.TryGetProperty("message", out var text) ? text.GetString() ?? "error" : error.ToString()));
                }
                else
                {
                    answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (OnEvent is { } handler && root.TryGetProperty("method", out var method))
        {
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            var session = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
            // Not awaited in the loop: a handler sends commands, whose answers this loop must go on reading.
            _ = Task.Run(() => handler(method.GetString() ?? "", parameters, session));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void FailAll(string reason)
    {
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new DevToolsException(reason));
        }
    }
}
