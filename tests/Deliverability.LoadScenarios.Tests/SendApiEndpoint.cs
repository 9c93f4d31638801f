using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Deliverability.LoadScenarios.Tests;

/// <summary>
/// A send API on 127.0.0.1 (Kestrel, a free port) for the HTTP scenario: <c>/send</c> answers 202 and keeps the bodies,
/// <c>/throttled</c> answers 429 with Retry-After, <c>/broken</c> 503, and <c>/limited</c> is rate-limited by a token
/// bucket (429 over the limit), as a real send API protects itself.
/// </summary>
public sealed class SendApiEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenBucket _bucket;
    private readonly ConcurrentQueue<(DateTimeOffset At, string Body)> _received = new();

    private SendApiEndpoint(WebApplication app, double limitPerSecond)
    {
        _app = app;
        _bucket = new TokenBucket(limitPerSecond);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What /send and /throttled received, in order.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Body)> Received => [.. _received];

    public int RetryAfterSeconds { get; init; } = 1;

    public static async Task<SendApiEndpoint> StartAsync(double limitPerSecond = 500, int retryAfterSeconds = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var endpoint = new SendApiEndpoint(app, limitPerSecond) { RetryAfterSeconds = retryAfterSeconds };
        app.MapPost("/send", async (HttpRequest request) =>
        {
            endpoint._received.Enqueue((DateTimeOffset.UtcNow, await new StreamReader(request.Body).ReadToEndAsync()));
            return Results.StatusCode(202);
        });
        app.MapPost("/throttled", (HttpContext context) =>
        {
            endpoint._received.Enqueue((DateTimeOffset.UtcNow, ""));
            context.Response.Headers.RetryAfter = endpoint.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.StatusCode(429);
        });
        app.MapPost("/broken", () => Results.StatusCode(503));
        app.MapPost("/rejected", () => Results.StatusCode(400));
        app.MapPost("/limited", () => endpoint._bucket.TryTake() ? Results.StatusCode(202) : Results.StatusCode(429));
        await app.StartAsync();
        endpoint.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return endpoint;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Tokens refill continuously at the limit; a burst of at most a tenth of a second's worth.</summary>
    private sealed class TokenBucket(double perSecond)
    {
        private readonly Lock _lock = new();
        private readonly double _capacity = Math.Max(1, perSecond / 10);
        private double _tokens = Math.Max(1, perSecond / 10);
        private long _last = System.Diagnostics.Stopwatch.GetTimestamp();

        public bool TryTake()
        {
            lock (_lock)
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                _tokens = Math.Min(_capacity, _tokens + (System.Diagnostics.Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens--;
                return true;
            }
        }
    }
}
