using System.Buffers;
using System.Diagnostics;
using System.Net;
using Deliverability.Load;

namespace Deliverability.LoadScenarios;

/// <summary>
/// The HTTP send scenario: one request per invocation (step <c>request</c>) over pooled connections
/// (SocketsHttpHandler, at most <see cref="HttpTarget.Connections"/>), the body rendered from its template. Outcomes:
/// 2xx, 429, other 4xx, 5xx, or the transport's failure. With <see cref="HttpTarget.HonourRetryAfter"/>, a 429 with
/// Retry-After pauses the worker that got it before its next request (at most a minute).
/// </summary>
public static class HttpSendScenario
{
    /// <summary>The step's name.</summary>
    public const string RequestStep = "request";

    /// <summary>
    /// The scenario for <paramref name="target"/>. Header values named in <see cref="HttpTarget.HeadersFromEnvironment"/>
    /// are read from <paramref name="environment"/> (the process environment when null); a missing one throws
    /// <see cref="LoadConfigurationException"/> naming the variable, never its value.
    /// </summary>
    public static ScenarioProps Create(string name, HttpTarget target, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        environment ??= Environment.GetEnvironmentVariable;
        var headers = target.Headers.ToList();
        foreach (var (header, variable) in target.HeadersFromEnvironment)
        {
            var value = environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                throw new LoadConfigurationException($"header {header}: the environment variable {variable} is not set");
            }

            if (HttpRequestHeaders.Problem(header, value) is not null)
            {
                throw new LoadConfigurationException($"header {header}: the environment variable {variable} holds a line break or a control character");
            }

            headers.Add(KeyValuePair.Create(header, value));
        }

        BodyTemplate? body = null;
        if (target.Body is { } text && !BodyTemplate.TryCompile(text, target.Recipients, out body, out var error))
        {
            throw new LoadConfigurationException($"body: {error}");
        }

        var sender = new HttpSender(target, headers, body);
        return Scenario.Create(name, sender.InvokeAsync)
            .WithInit(sender.InitAsync)
            .WithClean(sender.CleanAsync)
            .WithMaxConcurrency(target.Connections);
    }

    private sealed class HttpSender(HttpTarget target, List<KeyValuePair<string, string>> headers, BodyTemplate? body)
    {
        private readonly HttpMethod _method = HttpMethod.Parse(target.Method);
        private readonly KeyValuePair<string, string>[] _requestHeaders = [.. headers.Where(h => !HttpRequestHeaders.IsContentHeader(h.Key))];
        private readonly KeyValuePair<string, string>[] _contentHeaders = [.. headers.Where(h => HttpRequestHeaders.IsContentHeader(h.Key))];
        private HttpClient? _client;

        public Task InitAsync(ScenarioInitContext context)
        {
            _client = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = target.Connections,
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
                ConnectTimeout = target.Timeout,
                // Load goes where the scenario says and nowhere else: no proxy, no redirect to another host.
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                // No trace headers: the requests carry exactly the headers the scenario names.
                ActivityHeadersPropagator = null,
            })
            {
                Timeout = target.Timeout,
            };
            return Task.CompletedTask;
        }

        public Task CleanAsync(ScenarioInitContext context)
        {
            _client?.Dispose();
            return Task.CompletedTask;
        }

        public async Task<Response> InvokeAsync(ScenarioContext context)
        {
            var worker = context.WorkerState as HttpWorker ?? (HttpWorker)(context.WorkerState = new HttpWorker());
            if (worker.PausedUntil > Stopwatch.GetTimestamp())
            {
                // Honouring Retry-After: this worker waits; the wait is part of this invocation's response time.
                await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), worker.PausedUntil), context.CancellationToken).ConfigureAwait(false);
            }

            return await Step.Run(RequestStep, context, () => SendAsync(context, worker)).ConfigureAwait(false);
        }

        private async Task<Response> SendAsync(ScenarioContext context, HttpWorker worker)
        {
            using var request = new HttpRequestMessage(_method, target.Url);
            foreach (var (name, value) in _requestHeaders)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            long sent = 0;
            if (body is not null)
            {
                worker.Body.ResetWrittenCount();
                body.Render(context.InvocationNumber, worker.Body);
                sent = worker.Body.WrittenCount;
                request.Content = new ReadOnlyMemoryContent(worker.Body.WrittenMemory);
                foreach (var (name, value) in _contentHeaders)
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken).ConfigureAwait(false);
            long received = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(worker.Scratch, context.CancellationToken).ConfigureAwait(false)) > 0)
                {
                    received += read;
                }
            }

            var status = (int)response.StatusCode;
            if (status == 429 && target.HonourRetryAfter && RetryAfter(response) is { } pause)
            {
                worker.PausedUntil = Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency);
            }

            return Response.Http(status, sent + received, status is >= 200 and < 300 ? null : $"HTTP {status} {response.ReasonPhrase}");
        }

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var wait = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => (TimeSpan?)null,
            };
            return wait is null ? null : wait < TimeSpan.Zero ? TimeSpan.Zero : wait > HttpTarget.MaxRetryAfter ? HttpTarget.MaxRetryAfter : wait;
        }
    }

    /// <summary>A worker's reusable buffers and its Retry-After pause.</summary>
    private sealed class HttpWorker
    {
        public ArrayBufferWriter<byte> Body { get; } = new(4096);

        public byte[] Scratch { get; } = new byte[16 * 1024];

        public long PausedUntil { get; set; }
    }
}
