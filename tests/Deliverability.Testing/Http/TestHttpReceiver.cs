using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Testing.Network;

namespace Deliverability.Testing.Http;

/// <summary>A scripted answer of <see cref="TestHttpReceiver"/>: a status, an optional Retry-After, a delay before answering.</summary>
public sealed record ReceiverReply(int Status, TimeSpan? RetryAfter = null, TimeSpan Delay = default, string Body = "")
{
    public static ReceiverReply Ok { get; } = new(200);

    /// <summary>Answers only after <paramref name="delay"/>: longer than the sender's timeout, it is a timeout.</summary>
    public static ReceiverReply Slow(TimeSpan delay) => new(200, Delay: delay);
}

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Method, string Path, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, a free port) that records every request and answers by script:
/// the queued replies in order, then <see cref="ReceiverReply.Ok"/>.
/// </summary>
public sealed class TestHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceiverReply> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();

    private TestHttpReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<TestHttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new TestHttpReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>An address on <see cref="BaseAddress"/> (a path can stand for a secret token, like Slack's).</summary>
    public string Url(string path = "hook") => new Uri(BaseAddress, path).ToString();

    /// <summary>Queues answers for the next requests, in order.</summary>
    public TestHttpReceiver Reply(params ReceiverReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }

        return this;
    }

    /// <summary>Waits (polling, up to <paramref name="timeout"/>, default 30 s) until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Requests;
    }

    /// <summary>An http:// address on 127.0.0.1 where nothing listens: a receiver that is down.</summary>
    public static string ClosedPortUrl(string path = "hook")
    {
        return $"http://127.0.0.1:{FreePort.Tcp()}/{path}";
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType, body, headers));

        var reply = _script.TryDequeue(out var next) ? next : ReceiverReply.Ok;
        if (reply.Delay > TimeSpan.Zero)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(reply.Delay, linked.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (reply.Body.Length > 0)
        {
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopTimeout.Token);
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
