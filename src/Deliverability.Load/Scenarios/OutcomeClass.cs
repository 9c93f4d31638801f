namespace Deliverability.Load;

/// <summary>What an invocation or a step came to: the classes a capacity planner counts separately.</summary>
public enum OutcomeClass
{
    /// <summary>Success of a step that speaks neither SMTP nor HTTP.</summary>
    Ok,
    /// <summary>SMTP 2xx: the server took the command or message.</summary>
    SmtpAccepted,
    /// <summary>SMTP 4xx: try again later (greylisting, throttling, full queue).</summary>
    SmtpDeferred,
    /// <summary>SMTP 5xx: refused for good.</summary>
    SmtpRejected,
    /// <summary>HTTP 2xx.</summary>
    HttpSuccess,
    /// <summary>HTTP 429: the send API throttled us.</summary>
    HttpRateLimited,
    /// <summary>HTTP 4xx other than 429.</summary>
    HttpClientError,
    /// <summary>HTTP 5xx.</summary>
    HttpServerError,
    /// <summary>The TCP connection was refused.</summary>
    ConnectionRefused,
    /// <summary>The peer reset or closed the connection mid-way.</summary>
    ConnectionReset,
    /// <summary>The TLS handshake or certificate check failed.</summary>
    TlsFailure,
    /// <summary>No answer within the allowed time.</summary>
    Timeout,
    /// <summary>Any other failure (an exception, an unexpected reply).</summary>
    Error,
}

/// <summary>Facts about outcome classes.</summary>
public static class OutcomeClasses
{
    /// <summary>Every class, in declaration order (report columns follow it).</summary>
    public static IReadOnlyList<OutcomeClass> All { get; } = Enum.GetValues<OutcomeClass>();

    /// <summary>Whether the class is a success: counted as ok and in <c>accepted_per_s</c>.</summary>
    public static bool IsSuccess(this OutcomeClass outcome) =>
        outcome is OutcomeClass.Ok or OutcomeClass.SmtpAccepted or OutcomeClass.HttpSuccess;

    /// <summary>The class of an SMTP reply code (2xx, 4xx, 5xx; anything else is <see cref="OutcomeClass.Error"/>).</summary>
    public static OutcomeClass FromSmtpReply(int replyCode) => (replyCode / 100) switch
    {
        2 or 3 => OutcomeClass.SmtpAccepted, // 354 (start mail input) is a positive intermediate reply
        4 => OutcomeClass.SmtpDeferred,
        5 => OutcomeClass.SmtpRejected,
        _ => OutcomeClass.Error,
    };

    /// <summary>The class of an HTTP status code.</summary>
    public static OutcomeClass FromHttpStatus(int statusCode) => statusCode switch
    {
        >= 200 and < 300 => OutcomeClass.HttpSuccess,
        429 => OutcomeClass.HttpRateLimited,
        >= 400 and < 500 => OutcomeClass.HttpClientError,
        >= 500 and < 600 => OutcomeClass.HttpServerError,
        _ => OutcomeClass.Error,
    };
}
