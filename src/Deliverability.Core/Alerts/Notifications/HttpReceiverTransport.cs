using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>
/// Posts a JSON payload to a webhook, Slack, Teams or PagerDuty. Errors are described by kind (status code, timeout,
/// connection refused), never with the exception's message, which can quote the URL.
/// </summary>
public sealed class HttpReceiverTransport(IHttpClientFactory clients, ReceiverOptions receiver, Func<AlertGroupNotification, JsonObject> payload) : IReceiverTransport
{
    /// <summary>The named client: no redirects followed (a redirect would re-send the payload elsewhere) and no request logging (it would log the URL).</summary>
    public const string ClientName = "alert-receivers";

    /// <summary>The header that carries <see cref="AlertGroupNotification.IdempotencyKey"/> (the IETF draft's name, as Stripe and others use it).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxBodyInError = 200;

    // The body is JSON for a machine, never embedded in HTML: no need to escape quotes and '<' as \u0022 and \u003C.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<AttemptResult> AttemptAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(receiver.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.EffectiveUrl)
            {
                Content = new StringContent(payload(notification).ToJsonString(Json), Encoding.UTF8, "application/json"),
            };
            // The same on every retry and on a resend after a restart: a receiver that keeps it can drop duplicates.
            request.Headers.Add(IdempotencyKeyHeader, notification.IdempotencyKey);
            // A client per attempt: the factory rotates handlers, so a changed DNS answer for the receiver is seen.
            var http = clients.CreateClient(ClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return AttemptResult.Delivered(status);
            }

            var body = await ReadShortBodyAsync(response, timeout.Token).ConfigureAwait(false);
            var error = body.Length == 0 ? $"HTTP {status}" : $"HTTP {status}: {body}";
            return status == 429 || status >= 500
                ? new AttemptResult(AttemptVerdict.Retry, status, error, RetryAfter(response.Headers.RetryAfter))
                : new AttemptResult(AttemptVerdict.Refused, status, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, $"timed out after {receiver.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(AttemptVerdict.Retry, null, Describe(ex));
        }
    }

    internal static string Describe(HttpRequestException ex)
    {
        var socket = ex.InnerException as SocketException ?? ex.InnerException?.InnerException as SocketException;
        var kind = ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.NameResolutionError => "host name not resolved",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ResponseEnded => "connection closed before the answer",
            HttpRequestError.InvalidResponse => "invalid HTTP answer",
            HttpRequestError.ProxyTunnelError => "proxy tunnel failed",
            _ => "HTTP request failed",
        };
        return socket is null ? kind : $"{kind} ({socket.SocketErrorCode})";
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    // A short piece of the receiver's answer (Slack's "invalid_payload", PagerDuty's error list) explains a refusal;
    // the receiver's own secrets are cut out in case it echoes them.
    private async Task<string> ReadShortBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            body = Redact(body.ReplaceLineEndings(" ").Trim());
            return body.Length <= MaxBodyInError ? body : body[..MaxBodyInError] + "…";
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private string Redact(string text)
    {
        foreach (var secret in new[] { receiver.EffectiveUrl, receiver.RoutingKey })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "[redacted]", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }
}
