using System.Net.Sockets;
using System.Security.Authentication;

namespace Deliverability.Load;

/// <summary>
/// The result of a step or of a whole invocation. A struct, so a step that returns one allocates nothing.
/// </summary>
public readonly record struct Response
{
    /// <summary>The outcome class counted in the report.</summary>
    public OutcomeClass Outcome { get; init; }

    /// <summary>The protocol's status ("250", "429"), counted per value; null when there is none.</summary>
    public string? StatusCode { get; init; }

    /// <summary>A short description of a failure, kept (bounded) among the report's top errors.</summary>
    public string? Message { get; init; }

    /// <summary>Bytes sent and received, summed in the report.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Whether the outcome is a success class.</summary>
    public bool IsOk => Outcome.IsSuccess();

    /// <summary>A success. <paramref name="outcome"/> must be a success class.</summary>
    public static Response Ok(string? statusCode = null, long sizeBytes = 0, OutcomeClass outcome = OutcomeClass.Ok)
    {
        if (!outcome.IsSuccess())
        {
            throw new ArgumentException($"Response.Ok needs a success outcome class, not {outcome}.", nameof(outcome));
        }

        return new Response { Outcome = outcome, StatusCode = statusCode, SizeBytes = sizeBytes };
    }

    /// <summary>A failure. <paramref name="outcome"/> must be a failure class.</summary>
    public static Response Fail(
        OutcomeClass outcome = OutcomeClass.Error, string? statusCode = null, string? message = null, long sizeBytes = 0)
    {
        if (outcome.IsSuccess())
        {
            throw new ArgumentException($"Response.Fail needs a failure outcome class, not {outcome}.", nameof(outcome));
        }

        return new Response { Outcome = outcome, StatusCode = statusCode, Message = message, SizeBytes = sizeBytes };
    }

    /// <summary>The response for an SMTP reply: 2xx/3xx accepted, 4xx deferred, 5xx rejected.</summary>
    public static Response Smtp(int replyCode, long sizeBytes = 0, string? message = null) => new()
    {
        Outcome = OutcomeClasses.FromSmtpReply(replyCode),
        StatusCode = StatusCodeText.Of(replyCode),
        Message = replyCode is >= 200 and < 400 ? null : message,
        SizeBytes = sizeBytes,
    };

    /// <summary>The response for an HTTP status: 2xx, 429, other 4xx, 5xx.</summary>
    public static Response Http(int statusCode, long sizeBytes = 0, string? message = null) => new()
    {
        Outcome = OutcomeClasses.FromHttpStatus(statusCode),
        StatusCode = StatusCodeText.Of(statusCode),
        Message = statusCode is >= 200 and < 300 ? null : message,
        SizeBytes = sizeBytes,
    };

    /// <summary>
    /// The failure an exception stands for: refused, reset, TLS, timeout (searched through inner exceptions),
    /// otherwise <see cref="OutcomeClass.Error"/>. The message is the exception's type and message, shortened.
    /// </summary>
    public static Response FromException(Exception exception, long sizeBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Response
        {
            Outcome = Classify(exception),
            Message = Describe(exception),
            SizeBytes = sizeBytes,
        };
    }

    private static OutcomeClass Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => OutcomeClass.ConnectionRefused,
                        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                            or SocketError.NotConnected => OutcomeClass.ConnectionReset,
                        SocketError.TimedOut => OutcomeClass.Timeout,
                        _ => OutcomeClass.Error,
                    };
                case AuthenticationException:
                    return OutcomeClass.TlsFailure;
                case TimeoutException or OperationCanceledException:
                    return OutcomeClass.Timeout;
                case EndOfStreamException:
                    return OutcomeClass.ConnectionReset;
            }
        }

        return OutcomeClass.Error;
    }

    private static string Describe(Exception exception)
    {
        const int MaxLength = 200;
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}

/// <summary>Status codes as cached strings, so classifying a reply does not allocate.</summary>
internal static class StatusCodeText
{
    private static readonly string[] Cache = Enumerable.Range(0, 1000).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int code) =>
        code is >= 0 and < 1000 ? Cache[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
