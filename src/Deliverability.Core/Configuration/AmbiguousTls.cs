namespace Deliverability.Core.Configuration;

/// <summary>
/// The word <c>tls</c> as a mail connection's security, refused wherever one is set (seeds, send paths, email receivers):
/// some tools mean implicit TLS by it and others (Django, Laravel) STARTTLS, and a guess the wrong way round is the TLS
/// mismatch an operator then has to debug. One rule, one message.
/// </summary>
public static class AmbiguousTls
{
    public const string Message =
        "'tls' is ambiguous: write ssl for TLS from the first byte (ports 993, 465) or starttls for a plain connection upgraded to TLS (ports 143, 587)";

    public static bool Matches(string? security) => string.Equals(security?.Trim(), "tls", StringComparison.OrdinalIgnoreCase);
}
